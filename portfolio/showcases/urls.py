from django.urls import path

from portfolio.showcases import item_views, share_views, views

app_name = "showcases"

urlpatterns = [
    path("", views.showcase_list, name="list"),
    path("new/", views.showcase_create, name="create"),
    path("promote/", views.promote, name="promote"),
    path("<uuid:public_id>/", views.showcase_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.showcase_edit, name="edit"),
    path("<uuid:public_id>/picker/", item_views.picker, name="picker"),
    path("<uuid:public_id>/preview/", views.showcase_preview, name="preview"),
    path("<uuid:public_id>/duplicate/", views.showcase_duplicate, name="duplicate"),
    path("<uuid:public_id>/archive/", views.showcase_archive, name="archive"),
    path("<uuid:public_id>/delete/", views.showcase_delete, name="delete"),
    path("<uuid:public_id>/sections/", views.section_add, name="section_add"),
    path("<uuid:public_id>/sections/<int:section_id>/", views.section_edit, name="section_edit"),
    path(
        "<uuid:public_id>/sections/<int:section_id>/move/", views.section_move, name="section_move"
    ),
    path(
        "<uuid:public_id>/sections/<int:section_id>/items/", item_views.items_add, name="items_add"
    ),
    path(
        "<uuid:public_id>/sections/<int:section_id>/order/",
        item_views.section_reorder,
        name="section_reorder",
    ),
    path("<uuid:public_id>/items/", item_views.items_save, name="items_save"),
    path("<uuid:public_id>/items/<int:item_id>/", item_views.item_edit, name="item_edit"),
    path("<uuid:public_id>/links/", views.links, name="links"),
    path("<uuid:public_id>/links/<uuid:link_id>/revoke/", views.link_revoke, name="link_revoke"),
]

share_urlpatterns = (
    [
        path("<str:token>/", share_views.showcase, name="showcase"),
        path("<str:token>/badges/<uuid:public_id>/", share_views.badge, name="badge"),
        path(
            "<str:token>/badges/<uuid:public_id>/report.json",
            share_views.badge_report,
            name="badge_report",
        ),
        path(
            "<str:token>/badges/<uuid:public_id>/image/",
            share_views.badge_image,
            name="badge_image",
        ),
        path("<str:token>/files/<uuid:public_id>/", share_views.artefact_file, name="file"),
        path(
            "<str:token>/files/<uuid:public_id>/thumbnail/",
            share_views.artefact_thumbnail,
            name="thumbnail",
        ),
    ],
    "share",
)
