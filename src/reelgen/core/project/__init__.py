"""Storyboard projects: a YAML file of scenes, each rendered once (resumably, window by window), exported often.

from reelgen.core.project import ProjectFolder, render_project, export_project, status
folder = ProjectFolder.find("my-film")
render_project(folder)          # only scenes whose pixels would change
export_project(folder)          # never renders
"""

from reelgen.core.project.export import export_project, export_settings, export_target, segments
from reelgen.core.project.folder import PROJECT_FILE, ProjectFolder, new_project
from reelgen.core.project.model import (
    Continuation,
    Defaults,
    Project,
    Scene,
    SeedPolicy,
    Windows,
    project_schema,
)
from reelgen.core.project.plan import PlannedScene, ScenePlan, content_key, plan_scene
from reelgen.core.project.render import (
    ProjectRender,
    SceneRender,
    forget_old_clip,
    render_project,
    render_scene,
    render_window,
)
from reelgen.core.project.status import SceneState, SceneStatus, plan_project, stale_scenes, status
from reelgen.core.project.windows import WindowSpec, colour_chain, match_colour

__all__ = [
    "PROJECT_FILE",
    "Continuation",
    "Defaults",
    "PlannedScene",
    "Project",
    "ProjectFolder",
    "ProjectRender",
    "Scene",
    "SceneRender",
    "ScenePlan",
    "SceneState",
    "SceneStatus",
    "SeedPolicy",
    "WindowSpec",
    "Windows",
    "colour_chain",
    "content_key",
    "export_project",
    "export_settings",
    "export_target",
    "forget_old_clip",
    "match_colour",
    "new_project",
    "plan_project",
    "plan_scene",
    "project_schema",
    "render_project",
    "render_scene",
    "render_window",
    "segments",
    "stale_scenes",
    "status",
]
