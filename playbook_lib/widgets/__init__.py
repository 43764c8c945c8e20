"""ipywidgets views: exercises and drills for learners, forms, and trainers' panels.

Views only collect input and display results; grading, saving and queries go through the
callbacks the :class:`~playbook_lib.workbook.Workbook` gives them.
"""

from ._call import CallView
from ._forms import JoinForm, NameForm, WorkshopApp
from ._trainer import DashboardView, WorkshopPanel
from ._views import (
    BestMomentView,
    DrillView,
    ExerciseView,
    MultiSelectView,
    OrderingView,
    ReflectionView,
    SignalView,
    header_html,
    register_view,
    view_for,
)

__all__ = [
    "BestMomentView",
    "CallView",
    "DashboardView",
    "DrillView",
    "ExerciseView",
    "JoinForm",
    "MultiSelectView",
    "NameForm",
    "OrderingView",
    "ReflectionView",
    "SignalView",
    "WorkshopApp",
    "WorkshopPanel",
    "header_html",
    "register_view",
    "view_for",
]
