"""A prompts file's currency is printed in the report: a code or sign, never blank or a control sequence."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.core.batch import Manifest
from reelgen.core.shootout.spec import PromptsFile


@pytest.mark.parametrize("currency", ["", " ", "\x1b[31m", "\t"])
def test_a_currency_the_report_cannot_show_is_refused(currency: str) -> None:
    with pytest.raises(ValidationError, match="is not a currency; give its code or sign"):
        PromptsFile.model_validate({"prompts": ["a fox"], "currency": currency})


def test_a_currency_sign_is_taken() -> None:
    assert PromptsFile.model_validate({"prompts": ["a fox"], "currency": "€"}).currency == "€"


def test_a_manifest_with_no_items_says_what_an_item_is() -> None:
    with pytest.raises(ValidationError, match=r"there are none; give at least one, e\.g\. \{\"output\""):
        Manifest.model_validate({"items": []})
