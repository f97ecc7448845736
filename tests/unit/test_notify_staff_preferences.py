"""Which channels a staff member is alerted over, and the console form that changes them."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData

from services.triage.console_preferences import (
    PreferenceFormError,
    preference_update,
    typed_preferences,
)
from shared.users import alert_channels, alert_problem


def test_an_account_that_never_chose_is_alerted_over_every_contact_detail_it_has() -> None:
    assert alert_channels(None, "tim@pkm.test", "+6281100000001") == ("email", "whatsapp")
    assert alert_channels(None, "tim@pkm.test", None) == ("email",)
    assert alert_channels(None, None, "+6281100000001") == ("whatsapp",)
    assert alert_channels(None, None, None) == ()


def test_a_choice_stands_even_when_it_is_no_alert_at_all() -> None:
    assert alert_channels(["whatsapp"], "tim@pkm.test", "+6281100000001") == ("whatsapp",)
    assert alert_channels([], "tim@pkm.test", "+6281100000001") == ()


def test_a_chosen_channel_needs_its_contact_detail() -> None:
    assert alert_problem(["email", "whatsapp"], "tim@pkm.test", "+6281100000001") is None
    problem = alert_problem(["whatsapp"], "tim@pkm.test", None)
    assert problem is not None and problem.field == "notify_channels"
    assert "nomor HP" in problem.reason


def test_the_form_sends_the_channels_ticked_the_digest_and_the_contacts() -> None:
    form = FormData(
        [("notify_channels", "whatsapp"), ("digest", "1"), ("email", ""),
         ("phone", "+6281100000001")]
    )  # fmt: skip
    update = preference_update(typed_preferences(form))
    assert update.notify_channels == ("whatsapp",)
    assert update.digest is True
    assert update.email is None and update.phone == "+6281100000001"
    nothing = preference_update(typed_preferences(FormData([("email", "tim@puskesmas.id")])))
    assert nothing.notify_channels == () and nothing.digest is False


def test_a_refused_form_names_the_field_in_indonesian() -> None:
    with pytest.raises(PreferenceFormError) as refused:
        preference_update(typed_preferences(FormData([("phone", "0812")])))
    assert refused.value.errors == {"phone": "Nomor HP tidak valid. Contoh: +6281234567890"}
    with pytest.raises(PreferenceFormError) as refused:
        preference_update(typed_preferences(FormData([("notify_channels", "email")])))
    assert refused.value.errors == {
        "notify_channels": "Pemberitahuan lewat email memerlukan alamat email"
    }
