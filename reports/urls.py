from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<year:year>/", views.report_detail, name="detail"),
    path("<year:year>/jahresbericht.pdf", views.report_pdf, name="pdf"),
    path("<year:year>/bearbeiten/", views.report_edit, name="edit"),
]
