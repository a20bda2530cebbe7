from django.urls import path

from . import feeds, views

app_name = "forum"

urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("bereich/<slug:slug>/", views.board_detail, name="board_detail"),
    path("bereich/<slug:slug>/neues-thema/", views.topic_create, name="topic_create"),
    path("bereich/<slug:slug>/beobachten/", views.board_watch, name="board_watch"),
    path("thema/<id:pk>/", views.topic_detail, name="topic_detail"),
    path("thema/<id:pk>/ungelesen/", views.topic_unread, name="topic_unread"),
    path("thema/<id:pk>/antworten/", views.topic_reply, name="topic_reply"),
    path("thema/<id:pk>/beobachten/", views.topic_watch, name="topic_watch"),
    path("thema/<id:pk>/loesung/<id:post_pk>/", views.topic_accept, name="topic_accept"),
    path("thema/<id:pk>/moderieren/", views.topic_moderate, name="topic_moderate"),
    path("thema/<id:pk>/abstimmung/", views.poll_create, name="poll_create"),
    path("abstimmung/<id:pk>/abstimmen/", views.poll_vote, name="poll_vote"),
    path("abstimmung/<id:pk>/zurueckziehen/", views.poll_withdraw, name="poll_withdraw"),
    path("abstimmung/<id:pk>/beenden/", views.poll_close, name="poll_close"),
    path("beitrag/<id:pk>/", views.post_permalink, name="post_permalink"),
    path("beitrag/<id:pk>/bearbeiten/", views.post_edit, name="post_edit"),
    path("beitrag/<id:pk>/versionen/", views.post_revisions, name="post_revisions"),
    path("beitrag/<id:pk>/loeschen/", views.post_delete, name="post_delete"),
    path("beitrag/<id:pk>/reagieren/", views.post_react, name="post_react"),
    path("beitrag/<id:pk>/melden/", views.post_report, name="post_report"),
    path("beitrag/<id:pk>/ausblenden/", views.post_hide, name="post_hide"),
    path("anhang/<id:pk>/", views.attachment_download, name="attachment"),
    path("schlagwort/<slug:slug>/", views.tag_detail, name="tag_detail"),
    path("schlagwort/<slug:slug>/folgen/", views.tag_follow, name="tag_follow"),
    path("suche/", views.search_view, name="search"),
    path("benachrichtigungen/", views.notification_list, name="notifications"),
    path("benachrichtigungen/<id:pk>/", views.notification_open, name="notification_open"),
    path("erwaehnen/", views.mention_candidates, name="mention_candidates"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/oeffentlich/", feeds.PublicPostsFeed(), name="feed_public"),
    path("feeds/beobachtet/<str:token>/", feeds.WatchedPostsFeed(), name="feed_watched"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/meldungen/<id:pk>/", views.report_resolve, name="report_resolve"),
    path("moderation/protokoll/", views.audit_log, name="audit_log"),
    path("moderation/personen/<id:pk>/sperren/", views.user_suspend, name="user_suspend"),
]
