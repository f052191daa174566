"""The words of the worker's own care (issue 16): kinds of supervision and of community work."""

from __future__ import annotations

from linkworker.models.base import Labelled, set_labels


class SupervisionKind(Labelled):
    PRACTICE = "practice"
    CLINICAL = "clinical"
    PROFESSIONAL = "professional"


class CommunityKind(Labelled):
    SUPPORTING_GROUP = "supporting_group"
    STARTING_GROUP = "starting_group"
    OUTREACH = "outreach"
    MDT_MEETING = "mdt_meeting"
    TRAINING = "training"
    OTHER = "other"


set_labels(
    CommunityKind,
    {
        "supporting_group": "Supporting a group",
        "starting_group": "Starting a group",
        "outreach": "Outreach",
        "mdt_meeting": "Multidisciplinary meeting",
        "training": "Training",
        "other": "Other",
    },
)
