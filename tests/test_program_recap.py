"""The review each session opens with, and today's suggestion, in words (recap.py). No
database: the numbers in, the sentences out."""

import datetime as dt

from rewire.program.content import PRACTICES
from rewire.program.recap import (
    NOT_HELPED,
    HelpedExperiment,
    LadderTry,
    ReviewData,
    Round,
    review,
    suggest,
)

MONDAY = dt.date(2026, 11, 30)
THURSDAY = MONDAY + dt.timedelta(days=3)


def days(values, *, first: dt.date) -> dict[dt.date, float]:
    return {first + dt.timedelta(days=n): value for n, value in enumerate(values)}


def lines(found) -> dict[str, str]:
    return {line.topic: line.text for line in found.lines}


def test_a_full_review_says_each_thing_in_plain_words():
    data = ReviewData(
        since=MONDAY,
        today=THURSDAY,
        rounds=[
            Round("somatic_tracking", MONDAY, threat=(7, 4)),
            Round("somatic_tracking", MONDAY + dt.timedelta(days=1), threat=(6, 4)),
            Round("savouring", MONDAY + dt.timedelta(days=2)),
        ],
        ladder=[LadderTry("Bending to the dishwasher", 7, 3), LadderTry("A short walk", 4, 5)],
        mind_shares=[0.0, 1 / 3, 2 / 3],
        # Four days before (Thursday to Sunday) at 6, and four since at 4.
        pain=days([6, 6, 6, 6, 4, 4, 4, 4], first=MONDAY - dt.timedelta(days=4)),
        sleep=days([6.0, 6.0, 6.0, 6.0, 7.0, 7.0, 7.5, 7.5], first=MONDAY - dt.timedelta(days=4)),
        finding="On days you did a guided practice, your pain averaged 0.8 points lower.",
        other={"evidence": 2, "thought_record": 1},
        checkin_days=4,
    )
    found = lines(review(data, PRACTICES))
    assert found == {
        "practices": "You logged 2 rounds of somatic tracking, 1 round of savouring good "
        "feelings, 2 examples in your evidence log, 1 thought record and check-ins on 4 days.",
        "threat": "How threatening the pain felt: 6.5 before and 4.0 after, on average over 2 "
        "rounds.",
        "ladder": "On your fear ladder you tried 2 activities: you predicted pain of 5.5 on "
        "average, and it was 4.0. It was less than you predicted in 1 of 2 tries.",
        "attribution": "In your latest answer, you put 67% of the causes of your pain down to "
        "the brain, mind or stress, up from 0% in your first answer.",
        "pain": "Your average pain was 4.0 since then, against 6.0 in the days before. That is "
        "lower.",
        "sleep": "You slept 7.2 hours a night on average since then, against 6.0 before.",
        "finding": "From your diary: On days you did a guided practice, your pain averaged 0.8 "
        "points lower.",
    }
    assert review(data, PRACTICES).little_data is None


def test_with_little_data_it_says_so_kindly_and_claims_nothing():
    data = ReviewData(
        since=MONDAY,
        today=THURSDAY,
        pain=days([5, 6], first=MONDAY),  # too few days for a trend
        mind_shares=[0.5],
    )
    found = review(data, PRACTICES)
    assert lines(found) == {
        "practices": "Nothing is logged since then. That is all right: one short practice today "
        "is a good place to start.",
        "attribution": "In your latest answer, you put 50% of the causes of your pain down to "
        "the brain, mind or stress. You are asked again each week, to see how it looks over "
        "time.",
    }
    assert found.little_data.startswith(
        "There is not much to look back on this time, and that is fine"
    )


def test_pain_that_rose_is_named_with_the_flare_plan_and_no_blame():
    data = ReviewData(
        since=MONDAY,
        today=THURSDAY,
        rounds=[Round("somatic_tracking", MONDAY, threat=(4, 6))],
        pain=days([3, 3, 3, 3, 5, 5, 5, 5], first=MONDAY - dt.timedelta(days=4)),
    )
    found = {line.topic: line for line in review(data, PRACTICES).lines}
    assert found["pain"].text.endswith(
        "That is higher. Pain goes up and down during the programme, and your flare plan is "
        "there if you need it. If it stays higher, talk to a clinician, and see:"
    )
    assert found["threat"].text.endswith(
        "It rose during practice. That can happen; a shorter round at a calmer moment may help. "
        "If practice keeps making things worse, or something new appears, talk to a clinician, "
        "and see:"
    )
    assert found["pain"].see == found["threat"].see == NOT_HELPED
    assert "practices" in found and found["practices"].see is None


def test_the_threat_is_read_only_after_three_rounds():
    def threat(*pairs):
        rounds = [Round("somatic_tracking", MONDAY, threat=pair) for pair in pairs]
        data = ReviewData(since=MONDAY, today=THURSDAY, rounds=rounds)
        return lines(review(data, PRACTICES))["threat"]

    assert threat((7, 3), (7, 3)).endswith("over 2 rounds.")
    assert threat((7, 3), (7, 3), (7, 3)).endswith(
        "The alarm eased as you practised: a sign your brain is learning the feeling is safe."
    )
    assert threat((5, 5), (5, 5), (5, 4)).endswith(
        "Little change yet, which is common early on: it often grows with practice."
    )


def test_a_trend_needs_three_days_on_each_side():
    before = days([6, 6], first=MONDAY - dt.timedelta(days=2))
    since = days([3, 3, 3], first=MONDAY)
    data = ReviewData(since=MONDAY, today=MONDAY + dt.timedelta(days=2), pain=before | since)
    assert "pain" not in lines(review(data, PRACTICES))
    more = before | days([6], first=MONDAY - dt.timedelta(days=3))
    data = ReviewData(since=MONDAY, today=MONDAY + dt.timedelta(days=2), pain=more | since)
    assert lines(review(data, PRACTICES))["pain"].startswith(
        "Your average pain was 3.0 since then, against 6.0"
    )


# Today's suggestion


def rounds(kind, *drops, before=6):
    return [Round(kind, MONDAY, threat=(before, before - drop)) for drop in drops]


def test_the_practice_that_eased_the_threat_most_is_suggested_with_why():
    found = suggest(
        rounds=rounds("somatic_tracking", 1, 1, 1) + rounds("emotions", 3, 2, 2, 1),
        helped=[],
        latest_session=("Somatic tracking", "somatic_tracking"),
        labels=PRACTICES,
    )
    assert found.practice == "emotions"
    assert found.why == (
        "Across your 4 rounds of feeling emotions safely, how threatening the pain felt eased "
        "by 2.0 points on average from before to after. It eased most with this one of your "
        "practices."
    )


def test_fewer_than_three_rated_rounds_or_no_easing_falls_back_to_the_sessions_practice():
    for few in (rounds("emotions", 3, 3), rounds("emotions", 0, -1, 0)):
        found = suggest(
            rounds=few + [Round("savouring", MONDAY)],  # not rated for threat
            helped=[],
            latest_session=("Feeling emotions safely", "thought_record"),
            labels=PRACTICES,
        )
        assert found.practice == "thought_record"
        assert found.why.startswith(
            "It is the daily practice of your latest session, “Feeling emotions safely”."
        )


def test_a_practice_after_which_the_pain_rose_or_that_eased_little_is_never_suggested():
    rose = [Round("movement", MONDAY, threat=(8, 4), pain=(4, 6)) for _ in range(4)]
    little = rounds("savouring", 1, 0, 1)  # 0.7 on average: under a point
    found = suggest(
        rounds=rose + little,
        helped=[],
        latest_session=("Good feelings", "savouring"),
        labels=PRACTICES,
    )
    assert found.why.startswith("It is the daily practice of your latest session")


def test_an_experiment_that_clearly_helped_comes_first_when_it_is_a_practice():
    helped = [
        HelpedExperiment("walk_20_minutes", "A 20-minute walk", "…"),  # not a practice
        HelpedExperiment(
            "somatic_tracking_before_bed",
            "Somatic tracking before bed",
            "the next morning's pain was 1.5 points lower on the days you did it.",
        ),
    ]
    found = suggest(
        rounds=rounds("emotions", 3, 3, 3), helped=helped, latest_session=None, labels=PRACTICES
    )
    assert found.practice == "somatic_tracking"
    assert found.why == (
        "Your experiment “Somatic tracking before bed” found it helped: the next morning's "
        "pain was 1.5 points lower on the days you did it."
    )


def test_nothing_is_suggested_before_the_first_session():
    assert suggest(rounds=[], helped=[], latest_session=None, labels=PRACTICES) is None
