"""The opened-mouth training targets: a warp that parts the lips of any face, and where sources keep their mouths."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from reelgen.core.backends.avatar.build import BUILTIN_CONFIG
from reelgen.train.avatar_faces import Faces, draw, mouth_opening_of, photo_bank
from reelgen.train.avatar_mouths import Sources, find_mouth, open_mouth, prepare

SIZE = BUILTIN_CONFIG.geometry.size


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    path = tmp_path_factory.mktemp("open") / "sources.npz"
    prepare(path)
    return Sources(dict(np.load(path)), "cpu", SIZE)


def test_opening_zero_leaves_the_face_and_a_wider_opening_shows_more_dark_mouth(sources: Sources) -> None:
    g = torch.Generator().manual_seed(0)
    faces, mouth = sources.sample(10, g)
    shut = open_mouth(faces, mouth, torch.zeros(10), torch.ones(10), torch.Generator().manual_seed(1))
    assert torch.allclose(shut, faces, atol=1e-5)
    opened = [
        open_mouth(faces, mouth, torch.full((10,), o), torch.ones(10), torch.Generator().manual_seed(1))
        for o in (0.3, 0.6, 1.0)
    ]
    dark = [mouth_opening_of(img, BUILTIN_CONFIG.geometry.mouth).mean().item() for img in [shut, *opened]]
    assert dark == sorted(dark) and dark[-1] > dark[0] + 0.05


def test_the_warp_changes_the_blend_region_and_next_to_nothing_outside_it(sources: Sources) -> None:
    from reelgen.core.face.align import mouth_mask

    faces, mouth = sources.sample(10, torch.Generator().manual_seed(2))
    opened = open_mouth(
        faces, mouth, torch.ones(10), torch.full((10,), 1.12), torch.Generator().manual_seed(3)
    )
    change = (opened - faces).abs().amax(dim=1)
    blend = torch.from_numpy(mouth_mask(BUILTIN_CONFIG.geometry))
    # What lands outside the feathered ellipse is dropped at the paste; the warp should put little there.
    assert change[:, blend == 0].mean() < 0.05 * change[:, blend > 0.5].mean()


def seam(crop: torch.Tensor, cx: float, cy: float) -> float:
    """The darkest row within 0.05 of ``cy`` (crop units), across the middle of the mouth: the lips' seam."""
    luma = (crop * torch.tensor([0.299, 0.587, 0.114])[:, None, None]).sum(0)
    y0, y1, x0, x1 = (int(v * SIZE) for v in (cy - 0.05, cy + 0.05, cx - 0.06, cx + 0.06))
    return (y0 + int(luma[y0:y1, x0:x1].mean(1).argmin()) + 0.5) / SIZE


def test_sources_put_their_mouths_where_the_warp_opens_them(sources: Sources) -> None:
    # Drawn faces: find_mouth finds the lips where draw put them.
    g = torch.Generator().manual_seed(4)
    faces = Faces.sample(6, g, "cpu", photo_bank(256))
    pose = torch.zeros(6, 4) + torch.tensor([0.0, 1.0, 0.0, 0.0])
    img = draw(faces, pose, torch.zeros(6), torch.ones(6), SIZE, g, photo_bank(256))
    for crop, y in zip(img, faces.p["mouth_y"], strict=True):
        _, found = find_mouth((crop.permute(1, 2, 0).numpy() * 255).astype(np.uint8))
        assert abs(found - y.item()) < 0.03
    # Posed drawn faces and augmented photo crops report the mouth where their lips' seam is.
    for pick in (sources.drawn, sources.photo):
        crops, mouth = pick(8, torch.Generator().manual_seed(5))
        for crop, (cx, cy, _) in zip(crops, mouth.tolist(), strict=True):
            assert abs(seam(crop, cx, cy) - cy) < 0.025
