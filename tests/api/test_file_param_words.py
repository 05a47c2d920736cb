"""An error about a file the user wrote (a project's scene, a manifest's item) keeps that file's field names."""

from __future__ import annotations

from reelgen.api.errors import from_reelgen
from reelgen.core.errors import InvalidRequest


def test_a_scene_error_names_the_project_files_field_not_the_apis() -> None:
    # Said locally as "(start_image)"; through the API it read "(input_reference)", a field the
    # project file does not have.
    message = "scene 'first-shot' (scenes[1]): svd-tiny needs a start image (start_image)"
    error = from_reelgen(InvalidRequest(message, param="scenes[1].start_image"))
    assert error.message == message
    item = InvalidRequest("items[0]: give a start image (start_image)", param="items[0].images")
    assert from_reelgen(item).message == item.message


def test_a_request_error_still_names_the_apis_field() -> None:
    error = from_reelgen(InvalidRequest("give a start image (start_image)", param="start_image"))
    assert error.message == "give a start image (input_reference)"
    # A request parameter whose name begins like a file's field (project_id) is still the API's.
    error = from_reelgen(InvalidRequest("give a start image (start_image)", param="project_id"))
    assert error.message == "give a start image (input_reference)"
