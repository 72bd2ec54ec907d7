import json

from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from tests.sso.idp_oidc.validator import MODE


@csrf_exempt
def set_mode(request: HttpRequest) -> HttpResponse:
    MODE.clear()
    MODE.update(json.loads(request.body or b"{}"))
    return HttpResponse("ok")


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", LoginView.as_view(template_name="idp_login.html"), name="login"),
    path("test/mode/", set_mode),
]
