from django.urls import path

from badges import institution_stack_views as views

app_name = "institution_stacks"

urlpatterns = [
    path("<slug:slug>/stacks/", views.stack_list, name="list"),
    path("<slug:slug>/stacks/<uuid:public_id>/", views.stack_detail, name="detail"),
    path("<slug:slug>/stacks/<uuid:public_id>/add/", views.stack_add_held, name="add_held"),
    path(
        "<slug:slug>/stacks/<uuid:public_id>/items/<int:item_id>/",
        views.stack_item,
        name="item",
    ),
    path("<slug:slug>/stacks/<uuid:public_id>/delete/", views.stack_remove, name="delete"),
]
