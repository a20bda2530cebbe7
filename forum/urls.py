from django.urls import path

from . import feeds, views

app_name = "forum"

urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("bereich/<slug:slug>/", views.board_detail, name="board_detail"),
    path("bereich/<slug:slug>/neues-thema/", views.topic_create, name="topic_create"),
    path("bereich/<slug:slug>/beobachten/", views.board_watch, name="board_watch"),
    path("thema/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("thema/<int:pk>/ungelesen/", views.topic_unread, name="topic_unread"),
    path("thema/<int:pk>/antworten/", views.topic_reply, name="topic_reply"),
    path("thema/<int:pk>/beobachten/", views.topic_watch, name="topic_watch"),
    path("thema/<int:pk>/loesung/<int:post_pk>/", views.topic_accept, name="topic_accept"),
    path("thema/<int:pk>/moderieren/", views.topic_moderate, name="topic_moderate"),
    path("beitrag/<int:pk>/", views.post_permalink, name="post_permalink"),
    path("beitrag/<int:pk>/bearbeiten/", views.post_edit, name="post_edit"),
    path("beitrag/<int:pk>/versionen/", views.post_revisions, name="post_revisions"),
    path("beitrag/<int:pk>/loeschen/", views.post_delete, name="post_delete"),
    path("beitrag/<int:pk>/reagieren/", views.post_react, name="post_react"),
    path("beitrag/<int:pk>/melden/", views.post_report, name="post_report"),
    path("beitrag/<int:pk>/ausblenden/", views.post_hide, name="post_hide"),
    path("anhang/<int:pk>/", views.attachment_download, name="attachment"),
    path("schlagwort/<slug:slug>/", views.tag_detail, name="tag_detail"),
    path("schlagwort/<slug:slug>/folgen/", views.tag_follow, name="tag_follow"),
    path("suche/", views.search_view, name="search"),
    path("benachrichtigungen/", views.notification_list, name="notifications"),
    path("benachrichtigungen/<int:pk>/", views.notification_open, name="notification_open"),
    path("erwaehnen/", views.mention_candidates, name="mention_candidates"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/oeffentlich/", feeds.PublicPostsFeed(), name="feed_public"),
    path("feeds/beobachtet/<str:token>/", feeds.WatchedPostsFeed(), name="feed_watched"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/meldungen/<int:pk>/", views.report_resolve, name="report_resolve"),
    path("moderation/protokoll/", views.audit_log, name="audit_log"),
    path("moderation/personen/<int:pk>/sperren/", views.user_suspend, name="user_suspend"),
]
