"""Docstrings of the public API against numpydoc's validation.

Every name in the ``__all__`` of ``skdistill``, ``skdistill.metrics``,
``skdistill.inspection``, ``skdistill.datasets`` and ``skdistill.onnx`` is
checked, and so is
every public method, class method and property that a public class defines
itself. Methods inherited from scikit-learn (``get_params``, ``set_params``,
``score``, ...) and the ``set_*_request`` methods that scikit-learn generates
for metadata routing are left out, because their docstrings are
scikit-learn's.

For each object, numpydoc's validation must report none of these errors:

- GL08: the object has no docstring.
- PR01, PR02, PR03: the documented parameters are not exactly the
  signature's parameters in the signature's order. numpydoc skips ``self``
  and ``cls``. It expects ``*args`` and ``**kwargs`` documented under their
  starred names, but no public callable takes them today.
- EX01: the docstring has no Examples section.

The Examples section must also hold at least one doctest line (``>>>``), so
that ``--doctest-modules`` runs it. A dataclass documents its fields under
Attributes, because users read them from a report rather than pass them, so
for a dataclass the Attributes must list the fields in order instead.
"""

# SPDX-License-Identifier: BSD-3-Clause

import dataclasses
import importlib
import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")
numpydoc_docscrape = pytest.importorskip("numpydoc.docscrape")

PUBLIC_MODULES = (
    "skdistill",
    "skdistill.metrics",
    "skdistill.inspection",
    "skdistill.datasets",
    "skdistill.onnx",
)

# The numpydoc error codes that fail the test, described in the module docstring.
CHECKED_ERRORS = {"GL08", "PR01", "PR02", "PR03", "EX01"}
# For a dataclass, the constructor's parameters are its fields, documented
# under Attributes, so numpydoc's PR01 does not apply.
DATACLASS_SKIPPED_ERRORS = {"PR01"}


def _defining_module(value):
    """Return the module of the function behind a class attribute, or None."""
    if isinstance(value, property):
        value = value.fget
    elif isinstance(value, classmethod | staticmethod):
        value = value.__func__
    # available_if keeps the method it guards in ``fn``.
    value = getattr(value, "fn", value)
    if not inspect.isfunction(value):
        return None
    return value.__module__


def _own_public_members(cls):
    """List the public methods and properties that skdistill's code defines.

    scikit-learn adds ``set_fit_request`` and similar methods to every
    estimator class for metadata routing. They are scikit-learn's code, so
    they are left out.
    """
    names = []
    for name, value in vars(cls).items():
        module = _defining_module(value)
        if name.startswith("_") or module is None:
            continue
        if module.split(".")[0] == "skdistill":
            names.append(name)
    return names


def _public_objects():
    """List the import paths of the public API, classes' members included."""
    paths = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if name.startswith("__"):
                continue
            obj = getattr(module, name)
            paths.append(f"{module_name}.{name}")
            if inspect.isclass(obj):
                paths.extend(
                    f"{module_name}.{name}.{member}"
                    for member in _own_public_members(obj)
                )
    return paths


PUBLIC_OBJECTS = _public_objects()


def _resolve(path):
    module_name, _, rest = path.partition(".")
    obj = importlib.import_module(module_name)
    parts = rest.split(".")
    for index, part in enumerate(parts):
        if inspect.ismodule(obj) and not hasattr(obj, part):
            obj = importlib.import_module(f"{obj.__name__}.{part}")
            continue
        if index == len(parts) - 1 and inspect.isclass(obj):
            return inspect.getattr_static(obj, part)
        obj = getattr(obj, part)
    return obj


def test_public_objects_collected():
    # A collector that dropped descriptors or class methods would let their
    # docstrings go unchecked.
    assert "skdistill.DistilledClassifier.fit" in PUBLIC_OBJECTS
    assert "skdistill.DistilledClassifier.decision_function" in PUBLIC_OBJECTS
    assert "skdistill.metrics.DistillationReport.ratios" in PUBLIC_OBJECTS
    assert "skdistill.inspection.PanelCurveDisplay.from_estimator" in PUBLIC_OBJECTS
    assert "skdistill.datasets.load_splice" in PUBLIC_OBJECTS
    assert "skdistill.DistilledClassifier.get_params" not in PUBLIC_OBJECTS
    assert "skdistill.DistilledClassifier.set_fit_request" not in PUBLIC_OBJECTS


@pytest.mark.parametrize("path", PUBLIC_OBJECTS)
def test_docstring_matches_signature(path):
    obj = _resolve(path)
    checked = CHECKED_ERRORS
    if dataclasses.is_dataclass(obj):
        checked = CHECKED_ERRORS - DATACLASS_SKIPPED_ERRORS
    result = numpydoc_validate.validate(path)
    errors = [f"{code}: {message}" for code, message in result["errors"]]
    failed = [error for error in errors if error[:4] in checked]
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("path", PUBLIC_OBJECTS)
def test_docstring_has_doctest(path):
    obj = _resolve(path)
    if isinstance(obj, property):
        obj = obj.fget
    docstring = numpydoc_docscrape.get_doc_object(obj)
    examples = "\n".join(docstring["Examples"])
    assert ">>>" in examples, f"{path} has no doctest in its Examples section"


@pytest.mark.parametrize(
    "path",
    [path for path in PUBLIC_OBJECTS if dataclasses.is_dataclass(_resolve(path))],
)
def test_dataclass_attributes_match_fields(path):
    cls = _resolve(path)
    documented = [
        attribute.name for attribute in numpydoc_docscrape.ClassDoc(cls)["Attributes"]
    ]
    fields = [field.name for field in dataclasses.fields(cls)]
    assert documented == fields
