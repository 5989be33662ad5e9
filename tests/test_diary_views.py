import datetime as dt
import zoneinfo

from django.utils import timezone
from helpers import FULL, post, token_client

from rewire.diary.models import CheckIn


def test_one_tap_checkin_needs_only_pain(alice_client, alice):
    response = alice_client.post("/checkins/new", {"pain": "4"})
    assert response.status_code == 302
    checkin = CheckIn.objects.get(user=alice)
    assert checkin.pain == 4
    assert abs(checkin.recorded_at - timezone.now()) < dt.timedelta(seconds=5)
    assert (
        checkin.local_date == timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/London")).date()
    )
    page = alice_client.get("/")
    assert "Saved: pain 4" in page.content.decode()


def test_missing_pain_explains_itself_and_keeps_what_was_typed(alice_client):
    response = alice_client.post("/checkins/new", {"thought": "It will never stop", "stress": "7"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose your pain from 0 (none) to 10 (worst)." in html
    assert "It will never stop" in html
    assert CheckIn.objects.count() == 0


def test_full_checkin_with_body_areas_emotions_and_new_tags(alice_client, alice):
    response = alice_client.post(
        "/checkins/new",
        {
            "pain": "7",
            "area_lower_back": "8",
            "area_left_hip": "5",
            "emotion_anxious": "6",
            "other_emotion_0": "Overwhelmed",
            "other_intensity_0": "4",
            "stress": "6",
            "tags": ["work"],
            "new_tags": "Carrying shopping, cold office",
            "thought": "I've damaged something",
            "helped": ["heat"],
            "new_helped": "hot drink",
            "movement_minutes": "20",
            "sleep_hours": "5.5",
            "sleep_quality": "3",
            "note": "Bad morning",
            "recorded_at": "2026-02-10T08:15",
        },
    )
    assert response.status_code == 302, response.content.decode()
    checkin = CheckIn.objects.get(user=alice)
    assert sorted(checkin.body_areas.values_list("area", "intensity")) == [
        ("left_hip", 5),
        ("lower_back", 8),
    ]
    assert sorted(checkin.emotions.values_list("name", "intensity")) == [
        ("anxious", 6),
        ("overwhelmed", 4),
    ]
    assert sorted(checkin.tags.values_list("name", flat=True)) == [
        "carrying shopping",
        "cold office",
        "work",
    ]
    assert sorted(checkin.helped.values_list("name", flat=True)) == ["heat", "hot drink"]
    assert str(checkin.sleep_hours) == "5.5"
    # The time typed is alice's local time (London, GMT in February).
    assert checkin.recorded_at == dt.datetime(2026, 2, 10, 8, 15, tzinfo=dt.UTC)
    assert checkin.local_date == dt.date(2026, 2, 10)
    # New tags are offered next time.
    assert "carrying shopping" in alice_client.get("/").content.decode()
    # The history shows all of it, the ratings and sleep too.
    entry = alice_client.get("/history?range=365").content.decode()
    assert "Stress 6" in entry and "Slept 5.5 h" in entry and "Sleep quality 3" in entry
    assert "Moved 20 min" in entry


def test_other_emotion_needs_an_intensity(alice_client):
    response = alice_client.post("/checkins/new", {"pain": "3", "other_emotion_0": "numb"})
    assert response.status_code == 422
    assert "Give the emotion an intensity" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_future_time_is_refused(alice_client):
    response = alice_client.post("/checkins/new", {"pain": "3", "recorded_at": "2999-01-01T10:00"})
    assert response.status_code == 422
    assert "Cannot be in the future." in response.content.decode()


def test_every_problem_of_a_check_in_is_reported_in_one_round(alice_client):
    """Field problems (a word for a number, a number out of range, an emotion with no
    strength) and the diary's own rules (a time in the future) come back together."""
    response = alice_client.post(
        "/checkins/new",
        {
            "pain": "3",
            "movement_minutes": "lots",
            "sleep_hours": "30",
            "other_emotion_0": "numb",
            "recorded_at": "2999-01-01T10:00",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Use a whole number, such as 12." in page
    assert "Use a number of 24 or less." in page
    assert "Give the emotion an intensity" in page
    assert "Cannot be in the future." in page
    assert CheckIn.objects.count() == 0


def test_an_area_marked_without_its_own_number_takes_the_pain(alice_client, alice):
    """The body map's checkbox sends "pain" until a number is set (always without JS)."""
    response = alice_client.post(
        "/checkins/new", {"pain": "6", "area_lower_back": "pain", "area_left_knee": "4"}
    )
    assert response.status_code == 302, response.content.decode()
    checkin = CheckIn.objects.get(user=alice)
    assert sorted(checkin.body_areas.values_list("area", "intensity")) == [
        ("left_knee", 4),
        ("lower_back", 6),
    ]
    refused = alice_client.post("/checkins/new", {"pain": "6", "area_lower_back": "12"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Lower back: Mark the area, or give it a number from 0 to 10." in page
    # The refused area's box points at its problem, and the map shows there is one.
    assert 'aria-invalid="true" aria-describedby="id_area_lower_back_error"' in page
    assert 'id="id_area_lower_back_error"' in page and "bodymap has-error" in page


def test_sleep_is_asked_until_a_checkin_of_the_day_holds_it_then_changed_there(alice_client, alice):
    assert "Hours of sleep last night" in alice_client.get("/").content.decode()
    # A check-in without sleep: the next one still asks for it.
    alice_client.post("/checkins/new", {"pain": "4", "submission": "a"})
    assert "Hours of sleep last night" in alice_client.get("/").content.decode()
    alice_client.post("/checkins/new", {"pain": "5", "sleep_hours": "6.5", "submission": "b"})
    slept = CheckIn.objects.get(user=alice, sleep_hours__isnull=False)
    page = alice_client.get("/").content.decode()
    assert "Hours of sleep last night" not in page
    assert f'<a href="/checkins/{slept.pk}/edit">change it there</a>' in page
    # Editing: the check-in that holds it asks for it; the one without does not.
    first = CheckIn.objects.get(user=alice, pain=4)
    assert (
        "Hours of sleep last night"
        in alice_client.get(f"/checkins/{slept.pk}/edit").content.decode()
    )
    assert (
        "Hours of sleep last night"
        not in alice_client.get(f"/checkins/{first.pk}/edit").content.decode()
    )


def test_flare_records_pain_and_time_in_one_tap(alice_client, alice):
    response = alice_client.post("/flare", {"pain": "9"})
    checkin = CheckIn.objects.get(user=alice)
    assert checkin.is_flare and checkin.pain == 9
    assert response.status_code == 302
    assert response.url == f"/checkins/{checkin.pk}/edit"
    assert alice_client.post("/flare", {"pain": "12"}).status_code == 302
    assert CheckIn.objects.count() == 1


def test_flare_button_is_on_every_signed_in_page(alice_client):
    for url in ("/", "/history", "/settings"):
        html = alice_client.get(url).content.decode()
        assert 'action="/flare"' in html, url


def test_edit_keeps_everything_that_was_not_changed(alice, alice_client):
    created = post(token_client(alice), FULL).json()
    url = f"/checkins/{created['id']}/edit"
    form = alice_client.get(url)
    assert form.status_code == 200
    fields = form.context["form"].initial
    data = {k: v for k, v in fields.items() if v not in (None, "", [])}
    data["recorded_at"] = fields["recorded_at"].strftime("%Y-%m-%dT%H:%M")
    data["pain"] = "2"
    assert alice_client.post(url, data).status_code == 302
    after = token_client(alice).get(f"/api/v1/checkins/{created['id']}").json()
    assert after["pain"] == 2
    # The form lists body areas and emotions in its own order; the content must be the same.
    for field in ("body_areas", "emotions"):
        key = "area" if field == "body_areas" else "name"
        assert sorted(after[field], key=lambda r: r[key]) == sorted(
            created[field], key=lambda r: r[key]
        ), field
    for field in ("tags", "helped", "thought", "note", "sleep_hours", "stress", "recorded_at"):
        assert after[field] == created[field], field


def test_delete_asks_first(alice_client, alice):
    alice_client.post("/checkins/new", {"pain": "4"})
    checkin = CheckIn.objects.get(user=alice)
    confirm = alice_client.get(f"/checkins/{checkin.pk}/delete")
    assert "cannot be undone" in confirm.content.decode()
    assert CheckIn.objects.count() == 1
    assert alice_client.post(f"/checkins/{checkin.pk}/delete").status_code == 302
    assert CheckIn.objects.count() == 0


def test_history_shows_each_day_with_average_and_range(alice, alice_client):
    api = token_client(alice)
    today = timezone.now().astimezone(alice.zone).date()
    yesterday = today - dt.timedelta(days=1)
    for pain, hour in ((2, 8), (6, 12), (7, 18)):
        moment = dt.datetime.combine(yesterday, dt.time(hour), tzinfo=alice.zone)
        post(api, {"pain": pain, "recorded_at": moment.isoformat(), "tags": ["work"]})
    post(api, {"pain": 1, "helped": ["walk"]})
    page = alice_client.get("/history")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Average <strong>5.0</strong>, range 2–7 · 3 check-ins" in html
    assert "<polyline" in html
    days = page.context["days"]
    assert [summary.day for summary, _ in days] == [today, yesterday]

    work_only = alice_client.get("/history", {"tag": "work"})
    assert [s.day for s, _ in work_only.context["days"]] == [yesterday]
    walk_only = alice_client.get("/history", {"tag": "walk", "range": "365"})
    assert [s.day for s, _ in walk_only.context["days"]] == [today]


def test_history_rolling_average_uses_the_last_seven_days(alice, alice_client):
    api = token_client(alice)
    today = timezone.now().astimezone(alice.zone).date()
    for back, pain in ((8, 10), (3, 4), (0, 2)):
        moment = dt.datetime.combine(today - dt.timedelta(days=back), dt.time(9), tzinfo=alice.zone)
        # Today's 09:00 may still be ahead (a run early in the morning): then now.
        moment = min(moment, timezone.now())
        assert post(api, {"pain": pain, "recorded_at": moment.isoformat()}).status_code == 201
    page = alice_client.get("/history")
    # Day -8 is outside the 7-day window that ends today.
    assert page.context["latest_average"] == 3.0


def test_history_empty_state(alice_client):
    html = alice_client.get("/history").content.decode()
    assert "No check-ins in this period yet." in html


def test_pages_with_health_data_are_not_cached(alice_client):
    for url in ("/", "/history", "/settings", "/api/v1/checkins"):
        assert alice_client.get(url)["Cache-Control"] == "no-store", url


def test_a_form_sent_twice_saves_once(alice_client, alice):
    form = alice_client.get("/").context["form"]
    submission = form["submission"].value()
    assert submission
    for _ in range(2):
        response = alice_client.post("/checkins/new", {"pain": "6", "submission": submission})
        assert response.status_code == 302
    assert CheckIn.objects.filter(user=alice).count() == 1
    # A new form is a new check-in.
    fresh = alice_client.get("/").context["form"]["submission"].value()
    assert fresh != submission
    alice_client.post("/checkins/new", {"pain": "6", "submission": fresh})
    assert CheckIn.objects.filter(user=alice).count() == 2


def test_a_flare_tapped_twice_records_one_flare(alice_client, alice):
    submission = alice_client.get("/").context["flare_submission"]
    first = alice_client.post("/flare", {"pain": "8", "submission": submission})
    second = alice_client.post("/flare", {"pain": "8", "submission": submission})
    assert first.url == second.url
    assert CheckIn.objects.filter(user=alice, is_flare=True).count() == 1


def test_editing_without_touching_the_time_keeps_it_to_the_second(alice, alice_client):
    created = post(token_client(alice), {"pain": 5, "recorded_at": "2026-03-02T08:30:45Z"}).json()
    url = f"/checkins/{created['id']}/edit"
    shown_at = alice_client.get(url).context["form"]["shown_at"].value()
    alice_client.post(url, {"pain": "3", "recorded_at": "2026-03-02T08:30", "shown_at": shown_at})
    after = token_client(alice).get(f"/api/v1/checkins/{created['id']}").json()
    assert after["pain"] == 3
    assert after["recorded_at"] == created["recorded_at"]


def test_a_form_sent_again_after_its_checkin_was_deleted_does_not_revive_it(alice_client, alice):
    submission = alice_client.get("/").context["form"]["submission"].value()
    alice_client.post("/checkins/new", {"pain": "6", "submission": submission})
    checkin = CheckIn.objects.get(user=alice)
    alice_client.post(f"/checkins/{checkin.pk}/delete")
    again = alice_client.post("/checkins/new", {"pain": "6", "submission": submission})
    assert again.status_code == 302
    assert CheckIn.objects.filter(user=alice).count() == 0


def test_the_tag_filter_can_tell_a_trigger_from_something_that_helped(alice, alice_client):
    api = token_client(alice)
    post(api, {"pain": 7, "tags": ["walk"]})  # a long walk set it off
    post(api, {"pain": 2, "helped": ["walk"]})
    pains = {
        tag: sorted(
            c.pain
            for _, day in alice_client.get("/history", {"tag": tag}).context["days"]
            for c in day
        )
        for tag in ("context:walk", "helped:walk", "walk")
    }
    assert pains == {"context:walk": [7], "helped:walk": [2], "walk": [2, 7]}
    html = alice_client.get("/history", {"tag": "helped:walk"}).content.decode()
    assert 'value="helped:walk" selected' in html
    assert "tagged “walk”" in html


def test_rendered_forms_carry_their_submission_ids(alice_client):
    html = alice_client.get("/").content.decode()
    assert html.count('name="submission"') == 2  # the check-in and the flare button


def test_the_same_form_sent_back_with_other_content_is_a_new_checkin(alice_client, alice):
    submission = alice_client.get("/").context["form"]["submission"].value()
    alice_client.post("/checkins/new", {"pain": "7", "submission": submission})
    alice_client.post("/checkins/new", {"pain": "2", "submission": submission})
    assert sorted(CheckIn.objects.filter(user=alice).values_list("pain", flat=True)) == [2, 7]


def test_a_flare_resent_after_it_was_deleted_says_so(alice_client, alice):
    submission = alice_client.get("/").context["flare_submission"]
    alice_client.post("/flare", {"pain": "8", "submission": submission})
    alice_client.post(f"/checkins/{CheckIn.objects.get().pk}/delete")
    again = alice_client.post("/flare", {"pain": "8", "submission": submission}, follow=True)
    assert "That flare was recorded, then deleted." in again.content.decode()
    assert CheckIn.objects.count() == 0


def test_the_repeated_autumn_hour_can_be_logged_and_edited(alice, alice_client):
    # 26 October 2025, London: 01:00-02:00 happens twice (BST, then GMT).
    second_time = post(token_client(alice), {"pain": 5, "recorded_at": "2025-10-26T01:30:00Z"})
    created = second_time.json()
    url = f"/checkins/{created['id']}/edit"
    form = alice_client.get(url).context["form"]
    assert form["recorded_at"].value().strftime("%Y-%m-%dT%H:%M") == "2025-10-26T01:30"
    edit = alice_client.post(
        url,
        {"pain": "4", "recorded_at": "2025-10-26T01:30", "shown_at": form["shown_at"].value()},
    )
    assert edit.status_code == 302, edit.content.decode()
    after = token_client(alice).get(f"/api/v1/checkins/{created['id']}").json()
    assert after["pain"] == 4 and after["recorded_at"] == created["recorded_at"]
    new = alice_client.post("/checkins/new", {"pain": "3", "recorded_at": "2025-10-26T01:30"})
    assert new.status_code == 302
    first = CheckIn.objects.get(pain=3)
    assert first.recorded_at == dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)


def test_a_time_the_spring_change_skips_is_refused_with_a_reason(alice_client):
    response = alice_client.post("/checkins/new", {"pain": "3", "recorded_at": "2026-03-29T01:30"})
    assert response.status_code == 422
    assert "the clocks went forward" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_a_changed_form_sent_twice_saves_the_change_once(alice_client, alice):
    submission = alice_client.get("/").context["form"]["submission"].value()
    alice_client.post("/checkins/new", {"pain": "7", "submission": submission})
    for _ in range(2):
        alice_client.post("/checkins/new", {"pain": "2", "submission": submission})
    assert sorted(CheckIn.objects.filter(user=alice).values_list("pain", flat=True)) == [2, 7]


def test_a_page_left_open_records_the_time_of_saving_unless_the_time_was_changed(
    alice_client, alice
):
    shown_at = alice_client.get("/").context["form"]["shown_at"].value()
    long_ago = dt.datetime.fromisoformat(shown_at) - dt.timedelta(hours=2)
    typed = timezone.localtime(long_ago).strftime("%Y-%m-%dT%H:%M")
    alice_client.post(
        "/checkins/new", {"pain": "4", "recorded_at": typed, "shown_at": long_ago.isoformat()}
    )
    saved = CheckIn.objects.get(user=alice)
    assert abs(saved.recorded_at - timezone.now()) < dt.timedelta(seconds=5)
    # Typed on purpose: kept.
    earlier = timezone.localtime(long_ago - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    alice_client.post(
        "/checkins/new", {"pain": "5", "recorded_at": earlier, "shown_at": long_ago.isoformat()}
    )
    assert (
        timezone.localtime(CheckIn.objects.get(pain=5).recorded_at).strftime("%Y-%m-%dT%H:%M")
        == earlier
    )
