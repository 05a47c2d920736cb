"""Model shoot-outs: every model on every prompt, timed, measured, scored and reported in one HTML file.

    from reelgen.core.shootout import load_prompts, run_shootout
    done = run_shootout(["ltx-tiny", "wan-tiny"], load_prompts("prompts.yaml"), "shootout/")
    print(done.report)                      # shootout/report.html (self-contained) + results.json

A ``shootout`` job handler calls the same pieces: ``plan_shootout`` (trials
under stable keys, each a resolved request), ``trial_result`` per finished
child, ``score_trials`` and ``write_report`` at the end.
"""

from reelgen.core.shootout.plan import Trial, plan_shootout
from reelgen.core.shootout.report import REPORT_FILE, RESULTS_FILE, write_report
from reelgen.core.shootout.results import STAGES, TrialResult, failed_result, trial_result
from reelgen.core.shootout.run import CLIPS, Shootout, run_shootout, run_trial
from reelgen.core.shootout.score import artefact_part, ranking, score_trials
from reelgen.core.shootout.spec import PromptEntry, PromptsFile, Settings, Weights, load_prompts

__all__ = [
    "CLIPS",
    "REPORT_FILE",
    "RESULTS_FILE",
    "STAGES",
    "PromptEntry",
    "PromptsFile",
    "Settings",
    "Shootout",
    "Trial",
    "TrialResult",
    "Weights",
    "artefact_part",
    "failed_result",
    "load_prompts",
    "plan_shootout",
    "ranking",
    "run_shootout",
    "run_trial",
    "score_trials",
    "trial_result",
    "write_report",
]
