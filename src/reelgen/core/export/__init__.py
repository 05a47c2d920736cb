"""Export: rendered clips and title cards joined into one file with FFmpeg filter graphs through PyAV.

from reelgen.core.export import ExportSettings, Segment, export
export([Segment("intro", 2.0, clip=Path("a.mp4"))], ExportSettings(codec="h265"), "film.mp4")
"""

from reelgen.core.export.codecs import ENCODERS, has_encoder
from reelgen.core.export.settings import (
    CONTAINER_CODECS,
    DEFAULT_CODEC,
    Codec,
    Container,
    ExportSettings,
    Fit,
    Position,
    SettingNames,
    Soundtrack,
    TextOverlay,
    TitleCard,
    Transition,
    TransitionKind,
    Watermark,
)
from reelgen.core.export.timeline import Layout, Segment, layout
from reelgen.core.export.write import ExportResult, check_lut, check_output, check_soundtrack, export

__all__ = [
    "CONTAINER_CODECS",
    "DEFAULT_CODEC",
    "ENCODERS",
    "Codec",
    "Container",
    "ExportResult",
    "ExportSettings",
    "Fit",
    "Layout",
    "Position",
    "Segment",
    "SettingNames",
    "Soundtrack",
    "TextOverlay",
    "TitleCard",
    "Transition",
    "TransitionKind",
    "Watermark",
    "check_lut",
    "check_output",
    "check_soundtrack",
    "export",
    "has_encoder",
    "layout",
]
