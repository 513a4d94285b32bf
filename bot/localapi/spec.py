"""The Bot API as data: methods and types read from ``api.json``, and requests checked against it.

``api.json`` describes each method and type as a list of fields, each with ``name``, ``types``
(a union: ``["Integer", "String"]``; arrays spelled ``"Array of Array of KeyboardButton"``),
``required`` and ``description``. Abstract types (``BotCommandScope``, ``MenuButton``) list their
``subtypes``, which name themselves in a ``type`` field whose description says
``must be chat`` or ``always "emoji"``. Length limits and "exactly one of the fields" rules are
read from the descriptions too, so a new spec version brings its own rules.

A top-level parameter sent as form data is text and is parsed as its declared type, as Telegram
does; a JSON body must carry values of the declared JSON types (stricter than Telegram, which
would also accept ``"5"`` for an Integer, because a bot that sends that has a bug).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bot.localapi.limits import (
    MAX_UPLOAD_BYTES,
    PARSE_MODES,
    EntityParseError,
    LengthLimit,
    check_semantics,
    parse_text,
)
from bot.localapi.wire import ApiError, Upload

SCALARS = frozenset({"String", "Integer", "Float", "Boolean"})
_INTEGER = re.compile(r"[+-]?\d{1,19}")
_ATTACH = re.compile(r"attach://([\w.-]+)")
_DISCRIMINATOR = re.compile(r'(?:must be|always)\s+"?([a-z_]+)"?')
_ONE_OF_OTHER = re.compile(r"(exactly|at most) one of the fields other than (.+?) must be", re.I)
_ONE_OF_LISTED = re.compile(r"(exactly|at most) one of the fields ([\w, ]+?) must be", re.I)
_ONE_OF_OPTIONAL = re.compile(r"(exactly|at most) one of the optional fields", re.I)
_MISSING = {"text": "message text is empty"}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a method or type."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    limit: LengthLimit | None


@dataclass(frozen=True)
class OneOf:
    """A rule "exactly (or at most) one of these fields must be used"."""

    exactly: bool
    fields: frozenset[str]


@dataclass(frozen=True)
class ObjectSpec:
    """A method (its parameters) or a type (its fields)."""

    name: str
    fields: Mapping[str, FieldSpec]
    description: str
    returns: tuple[str, ...] = ()
    subtypes: tuple[str, ...] = ()
    one_of: OneOf | None = None
    string_allowed: bool = False  # KeyboardButton: "String can be used instead of this object"


@dataclass(frozen=True)
class _Call:
    params: Mapping[str, Any]  # as received, for attach:// references


class ApiSpec:
    """The methods and types of one Bot API version, and the validation of calls against them."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = raw.get("version", "")
        self.types = {name: _object(entry) for name, entry in raw["types"].items()}
        self.methods = {name.lower(): _object(entry) for name, entry in raw["methods"].items()}
        self._discriminators: dict[str, tuple[str, dict[str, str]]] = {}
        for name, spec in self.types.items():
            found = _discriminator(spec, self.types)
            if found is not None:
                self._discriminators[name] = found

    @classmethod
    def load(cls, path: Path | None = None) -> ApiSpec:
        """Reads a spec file; by default the ``api.json`` shipped in this package."""
        if path is not None:
            return cls(json.loads(path.read_text("utf-8")))
        text = resources.files("bot.localapi").joinpath("api.json").read_text("utf-8")
        return cls(json.loads(text))

    def method(self, name: str) -> ObjectSpec | None:
        """A method by name, case-insensitively as Telegram matches them."""
        return self.methods.get(name.lower())

    def validate_call(
        self,
        method: str,
        params: Mapping[str, Any],
        *,
        text_params: AbstractSet[str] = frozenset(),
    ) -> tuple[ObjectSpec, dict[str, Any]]:
        """Checks one call; returns the method and its parameters as typed values.

        Args:
            method: The method name from the URL.
            params: Parameter values: JSON values, text (form data) or ``Upload`` file parts.
            text_params: Names of the parameters that arrived as text and are to be parsed.

        Raises:
            ApiError: The first breach found, worded as Telegram would.
        """
        spec = self.method(method)
        if spec is None:
            raise ApiError(404, "Not Found", rule="unknown_method", path=method)
        call = _Call(params)
        attached = _attachments(params)
        values: dict[str, Any] = {}
        for name, value in params.items():
            if value is None:
                continue  # Telegram treats null as absent
            field = spec.fields.get(name)
            if field is None:
                if isinstance(value, Upload) and name in attached:
                    values[name] = value
                    continue
                raise ApiError.bad_request("unknown_parameter", f'unknown parameter "{name}"', name)
            values[name] = self._check(value, field.types, name, call, text=name in text_params)
        self._finish(spec, values, "")
        return spec, values

    def validate_object(self, type_name: str, value: Any, path: str = "") -> Any:
        """Checks a JSON value against a type (used to check what the server itself sends)."""
        return self._check(value, (type_name,), path or type_name, _Call({}), nested=True)

    def _check(
        self,
        value: Any,
        types: Sequence[str],
        path: str,
        call: _Call,
        *,
        text: bool = False,
        nested: bool = False,
    ) -> Any:
        if (
            isinstance(value, str)
            and (text or not nested)
            and not any(t in SCALARS or t == "InputFile" for t in types)
        ):
            value = _decoded(value, path, text=text, nested=nested)
        if isinstance(value, dict) and len(types) > 1:
            # Among several object types, judge by the one the object is shaped like, so the
            # error is about its content ("callback_data too long"), not about the union.
            shaped = [t for t in types if self._shaped_like(t, value)]
            types = shaped or types
        errors: list[ApiError] = []
        for type_name in types:
            try:
                return self._check_one(value, type_name, path, call, text=text, nested=nested)
            except ApiError as error:
                errors.append(error)
        # A value of the right type that breaks a limit says more than "wrong type" for the rest.
        specific = [error for error in errors if error.rule != "type"]
        if len(errors) == 1 or specific:
            raise (specific or errors)[0]
        raise _type_error(path, types)

    def _check_one(
        self, value: Any, type_name: str, path: str, call: _Call, *, text: bool, nested: bool
    ) -> Any:
        if type_name.startswith("Array of "):
            inner = type_name[len("Array of ") :]
            value = _decoded(value, path, text=text, nested=nested)
            if not isinstance(value, list):
                raise _type_error(path, (type_name,))
            return [
                self._check(item, (inner,), f"{path}[{index}]", call, nested=True)
                for index, item in enumerate(value)
            ]
        if type_name in SCALARS:
            return _scalar(value, type_name, path, text=text)
        if type_name == "InputFile":
            return _input_file(value, path, call)
        spec = self.types[type_name]
        if spec.string_allowed and isinstance(value, str) and nested:
            return value
        value = _decoded(value, path, text=text, nested=nested)
        if spec.subtypes:
            return self._check_abstract(spec, value, path, call)
        if not isinstance(value, dict):
            raise _type_error(path, (type_name,))
        fields: dict[str, Any] = {}
        for key, item in value.items():
            if item is None:
                continue
            field = spec.fields.get(key)
            if field is None:
                raise ApiError.bad_request(
                    "unknown_field", f'{type_name} has no field "{key}"', f"{path}.{key}"
                )
            fields[key] = self._check(item, field.types, f"{path}.{key}", call, nested=True)
        self._finish(spec, fields, path)
        return fields

    def _check_abstract(self, spec: ObjectSpec, value: Any, path: str, call: _Call) -> Any:
        found = self._discriminators.get(spec.name)
        if found is None or not isinstance(value, dict):
            return self._check(value, spec.subtypes, path, call, nested=True)
        key, subtypes = found
        subtype = subtypes.get(value.get(key, ""))
        if subtype is None:
            allowed = ", ".join(sorted(subtypes))
            raise ApiError.bad_request(
                "type", f'field "{path}.{key}" must be one of: {allowed}', f"{path}.{key}"
            )
        return self._check(value, (subtype,), path, call, nested=True)

    def _shaped_like(self, type_name: str, value: Mapping[str, Any]) -> bool:
        spec = self.types.get(type_name)
        if spec is None:
            return False
        if spec.subtypes:
            return any(self._shaped_like(sub, value) for sub in spec.subtypes)
        keys = {key for key, item in value.items() if item is not None}
        required = {f.name for f in spec.fields.values() if f.required}
        return keys <= spec.fields.keys() and required <= keys

    def _finish(self, spec: ObjectSpec, values: dict[str, Any], path: str) -> None:
        """Object-level rules once each field has its type: presence, one-of, lengths."""
        where = f"{path}." if path else ""
        for field in spec.fields.values():
            if field.required and field.name not in values:
                detail = (
                    _MISSING.get(field.name, f"{field.name} is empty")
                    if not path
                    else f'field "{where}{field.name}" is required'
                )
                raise ApiError.bad_request("missing", detail, where + field.name)
        if spec.one_of is not None:
            used = sorted(name for name in spec.one_of.fields if name in values)
            if len(used) > 1 or (spec.one_of.exactly and not used):
                amount = "exactly" if spec.one_of.exactly else "at most"
                detail = (
                    f"can't parse {spec.name} at {path}: {amount} one of its optional fields "
                    f"must be used, got {', '.join(used) or 'none'}"
                )
                raise ApiError.bad_request("one_of", detail, path)
        for name, value in values.items():
            if name.endswith("parse_mode") and value and value.lower() not in PARSE_MODES:
                raise ApiError.bad_request("parse_mode", "unsupported parse_mode", where + name)
        for field in spec.fields.values():
            value = values.get(field.name)
            if field.limit is not None and isinstance(value, str):
                _check_length(spec, field, value, values, where)
        problem = check_semantics(spec.name, values)
        if problem is not None:
            raise ApiError.bad_request(problem[0], problem[1], path or spec.name)


def _check_length(
    spec: ObjectSpec, field: FieldSpec, value: str, values: Mapping[str, Any], where: str
) -> None:
    assert field.limit is not None
    entities = "entities" if field.name in ("text", "message_text") else f"{field.name}_entities"
    if field.limit.after_parsing and not values.get(entities):  # explicit entities: no parsing
        own_mode = f"{field.name}_parse_mode"
        mode = values.get(own_mode if own_mode in spec.fields else "parse_mode")
        try:
            value = parse_text(value, mode or None).text
        except EntityParseError as error:
            raise ApiError.bad_request(
                "entities", f"can't parse entities: {error}", where + field.name
            ) from None
    breach = field.limit.breach(field.name, value)
    if breach is not None:
        raise ApiError.bad_request("length", breach, where + field.name)


def _scalar(value: Any, type_name: str, path: str, *, text: bool) -> Any:
    if text and isinstance(value, str):
        if type_name == "String":
            return value
        if type_name == "Integer" and _INTEGER.fullmatch(value):
            return int(value)
        if type_name == "Boolean" and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if type_name == "Float":
            try:
                return float(value)
            except ValueError:
                pass
        raise _type_error(path, (type_name,))
    expected: dict[str, tuple[type, ...]] = {
        "String": (str,),
        "Integer": (int,),
        "Float": (int, float),
        "Boolean": (bool,),
    }
    if isinstance(value, bool) and type_name != "Boolean":
        raise _type_error(path, (type_name,))
    if not isinstance(value, expected[type_name]):
        raise _type_error(path, (type_name,))
    return value


def _input_file(value: Any, path: str, call: _Call) -> Upload:
    if isinstance(value, str) and value.startswith("attach://"):
        name = value[len("attach://") :]
        value = call.params.get(name)
        if not isinstance(value, Upload):
            raise ApiError.bad_request("attach", f'file "{name}" is not attached', path)
    if not isinstance(value, Upload):
        raise _type_error(path, ("InputFile",))
    if value.size > MAX_UPLOAD_BYTES:
        raise ApiError(413, "Request Entity Too Large", rule="file_size", path=path)
    if not value.filename:
        raise ApiError.bad_request("file_name", "file name must be non-empty", path)
    return value


def _decoded(value: Any, path: str, *, text: bool, nested: bool) -> Any:
    """A JSON-serialized object or array given as a string, decoded."""
    if isinstance(value, str) and (text or not nested):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError.bad_request("json", f"can't parse {path} JSON object", path) from None
    return value


def _type_error(path: str, types: Sequence[str]) -> ApiError:
    return ApiError.bad_request(
        "type", f'field "{path}" must be of type {" or ".join(types)}', path
    )


def _attachments(params: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    for value in params.values():
        if isinstance(value, Upload) or value is None:
            continue
        found.update(_ATTACH.findall(value if isinstance(value, str) else json.dumps(value)))
    return found


def _object(entry: Mapping[str, Any]) -> ObjectSpec:
    fields = {
        f["name"]: FieldSpec(
            f["name"],
            tuple(f["types"]),
            bool(f["required"]),
            f["description"],
            LengthLimit.from_description(f["description"]) if "String" in f["types"] else None,
        )
        for f in entry.get("fields", [])
    }
    description = " ".join(entry.get("description", []))
    return ObjectSpec(
        name=entry["name"],
        fields=fields,
        description=description,
        returns=tuple(entry.get("returns", ())),
        subtypes=tuple(entry.get("subtypes", ())),
        one_of=_one_of(description, fields),
        string_allowed="String can be used instead of this object" in description,
    )


def _one_of(description: str, fields: Mapping[str, FieldSpec]) -> OneOf | None:
    if match := _ONE_OF_OTHER.search(description):
        exempt = set(re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", match.group(2)))
        names = frozenset(fields.keys() - exempt)
    elif match := _ONE_OF_LISTED.search(description):
        names = frozenset(re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", match.group(2)))
    elif match := _ONE_OF_OPTIONAL.search(description):
        names = frozenset(f.name for f in fields.values() if not f.required)
    else:
        return None
    return OneOf(match.group(1).lower() == "exactly", names)


def _discriminator(
    spec: ObjectSpec, types: Mapping[str, ObjectSpec]
) -> tuple[str, dict[str, str]] | None:
    """For an abstract type, the field naming the subtype and each subtype's value of it."""
    if not spec.subtypes:
        return None
    for key in ("type", "source", "status"):
        values: dict[str, str] = {}
        for subtype in spec.subtypes:
            field = types[subtype].fields.get(key) if subtype in types else None
            match = _DISCRIMINATOR.search(field.description) if field else None
            if match is None:
                break
            values[match.group(1)] = subtype
        else:
            return key, values
    return None


@cache
def default_spec() -> ApiSpec:
    """The spec shipped with this package, loaded once."""
    return ApiSpec.load()
