import json

from django.db import transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.utils import timezone

from bare.models import Row


def insert(request):
    """POST: parse the JSON body and INSERT one row in one transaction; GET: count rows.

    The transaction is explicit, like the check-in API's, so it starts with
    BEGIN IMMEDIATE and takes the same write lock.
    """
    if request.method == "GET":
        return JsonResponse({"count": Row.objects.count()})
    try:
        data = json.loads(request.body)
        pain = int(data["pain"])
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest()
    with transaction.atomic():
        row = Row.objects.create(
            pain=pain, note=str(data.get("note", "")), created_at=timezone.now()
        )
    return JsonResponse({"id": row.pk, "pain": row.pain, "note": row.note}, status=201)


urlpatterns = [path("insert", insert)]
