"""Wan VAE tiles sized to the memory a plan leaves, from the decoder's measured cost per tile pixel."""

from __future__ import annotations

from reelgen.core.spec.memory import GIB

#: AutoencoderKLWan's tile side and stride in pixels once tiling is on (diffusers 0.42.1 defaults).
VAE_TILE, VAE_TILE_STRIDE = 256, 192
#: The Wan 2.1 VAE's tiled decode in float32: GiB per pixel of one tile, beyond the clip's own float32
#: copies. Fitted on an H200 at 832x480x81 (docs/benchmarks.md, "Wan's VAE tiles"): 1.87 GiB for
#: 256x256 tiles, 3.09-3.76 for 272-344 x 480, 5.04 for 480x480, 8.76 untiled; no size was under it.
VAE_GIB_PER_TILE_PIXEL = 2.05e-5
#: Latent rows or columns two neighbouring tiles share (64 pixels, diffusers' default), blended at the seam.
VAE_TILE_OVERLAP = 8
#: Tiles of fewer latent rows or columns than this are not tried (the seams would dominate).
VAE_TILE_SMALLEST = 16
#: diffusers' own tiles as ``vae_tiles`` gives them: the smallest this project decodes in.
DEFAULT_TILES = (VAE_TILE, VAE_TILE, VAE_TILE_STRIDE, VAE_TILE_STRIDE)


def vae_tiles(width: int, height: int, frames: int, room_gib: float) -> tuple[int, int, int, int] | None:
    """Tile height, width and strides in pixels for the Wan 2.1 VAE's decode within ``room_gib`` of
    activations; None when the whole frame fits untiled.

    Of the tilings whose one tile fits, the one that decodes the fewest pixels (overlaps counted)
    wins: at 832x480x81 in 6 GiB that is two rows of two 304x480 tiles, 2.8 s on an H200 against
    4.4 s for diffusers' fifteen 256-pixel tiles and 2.2 s untiled. When not even the smallest tile
    fits the estimate, diffusers' tiles stay.
    """
    clip = frames * width * height * 3 * 4 / GIB
    largest = (room_gib - 0.5 - 2 * clip) / VAE_GIB_PER_TILE_PIXEL  # pixels one tile may have
    if width * height <= largest:
        return None
    rows, cols = height // 8, width // 8
    best: tuple[int, int, int, int, int] | None = None  # decoded latent cells, then the tile in latents
    for down in _tilings(rows):
        for across in _tilings(cols):
            (tile_h, stride_h, covered_h), (tile_w, stride_w, covered_w) = down, across
            if tile_h * tile_w * 64 > largest:
                continue
            if best is None or covered_h * covered_w < best[0]:
                best = (covered_h * covered_w, tile_h, tile_w, stride_h, stride_w)
    if best is None:
        return DEFAULT_TILES
    return best[1] * 8, best[2] * 8, best[3] * 8, best[4] * 8


def _tilings(side: int) -> list[tuple[int, int, int]]:
    """Ways to cover ``side`` latent rows (or columns) as diffusers' tiled decode walks them:
    (tile, stride, rows decoded). One tile is the whole side; more overlap their neighbours."""
    ways = [(side, side, side)]
    for count in range(2, side // VAE_TILE_SMALLEST + 1):
        stride = -(-side // count)
        tile = min(side, stride + VAE_TILE_OVERLAP)
        if -(-side // stride) != count or tile < VAE_TILE_SMALLEST:
            continue
        ways.append((tile, stride, sum(min(tile, side - start) for start in range(0, side, stride))))
    return ways
