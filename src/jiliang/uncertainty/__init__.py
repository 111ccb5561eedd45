"""Measurement uncertainty: the GUM method (JCGM 100) and Monte Carlo (JCGM 101/102), pure core.

``evaluate_mapping(model_file_dict, ...)`` validates a model file and evaluates it; the modules are
``model`` (AST-allowlist parser), ``distributions``, ``problem`` (units, correlations, checks),
``gum``, ``monte_carlo``, ``typea`` (Type A, line fits), ``results``, ``modelfile`` and ``report``.
See docs/uncertainty.md.
"""

from jiliang.uncertainty.evaluate import evaluate, evaluate_mapping
from jiliang.uncertainty.model import parse_model
from jiliang.uncertainty.modelfile import load_problem

__all__ = ["evaluate", "evaluate_mapping", "load_problem", "parse_model"]
