"""Declarative argument aliases and the one engine that interprets them.

Keras-1 spellings are the native signatures; each class lists, as data, the other
spellings it also accepts (mostly Keras-2 keywords).  Rules only ever rewrite
*keyword* arguments, so a positional argument always means what Keras 1 meant.
"""
import dataclasses
import functools
import inspect
import warnings
from typing import Any, Callable, Mapping, Optional, Tuple


class ArgumentError(TypeError):
    """A constructor or method received arguments it cannot accept."""


@dataclasses.dataclass(frozen=True)
class Rename:
    """``old`` is another spelling of ``new`` with identical meaning."""
    old: str
    new: str
    example: Any = 1

    def names(self):
        return (self.old,)

    def apply(self, owner, kwargs, native_given):
        if self.old not in kwargs:
            return
        if self.new in kwargs or self.new in native_given:
            raise ArgumentError("%s got both %r and its Keras-1 spelling %r; pass only one"
                                % (owner, self.old, self.new))
        kwargs[self.new] = kwargs.pop(self.old)

    def describe(self):
        return "%s= is accepted as %s=" % (self.old, self.new)


@dataclasses.dataclass(frozen=True)
class MapValues:
    """Values of ``arg`` written in another era's vocabulary (``'channels_first'`` -> ``'th'``)."""
    arg: str
    mapping: Mapping[Any, Any]
    example: Any = None

    def names(self):
        return ()

    def apply(self, owner, kwargs, native_given):
        if self.arg in kwargs:
            value = kwargs[self.arg]
            try:
                if value in self.mapping:
                    kwargs[self.arg] = self.mapping[value]
            except TypeError:  # unhashable values are never aliases
                pass

    def describe(self):
        pairs = ", ".join("%r -> %r" % item for item in self.mapping.items())
        return "%s values: %s" % (self.arg, pairs)


@dataclasses.dataclass(frozen=True)
class Custom:
    """A structural change (one Keras-2 argument split into several Keras-1 ones)."""
    keyword: str
    convert: Callable[[str, Any, dict], dict]
    description: str
    example: Any = None

    def names(self):
        return (self.keyword,)

    def apply(self, owner, kwargs, native_given):
        if self.keyword not in kwargs:
            return
        produced = self.convert(owner, kwargs.pop(self.keyword), kwargs)
        for name, value in produced.items():
            if name in kwargs or name in native_given:
                raise ArgumentError("%s got both %r and %r (which %r also sets); pass only one"
                                    % (owner, self.keyword, name, self.keyword))
            kwargs[name] = value

    def describe(self):
        return "%s=: %s" % (self.keyword, self.description)


@dataclasses.dataclass(frozen=True)
class Reject:
    """An argument with no faithful meaning here; refused with a pointer to the guide."""
    arg: str
    message: str
    see: str = "migration_guide/unsupported.md"
    example: Any = 1

    def names(self):
        return (self.arg,)

    def apply(self, owner, kwargs, native_given):
        if self.arg in kwargs:
            raise ArgumentError("%s(%s=...) is not supported: %s (see %s)"
                                % (owner, self.arg, self.message, self.see))

    def describe(self):
        return "%s= is refused: %s" % (self.arg, self.message)


@dataclasses.dataclass(frozen=True)
class Deprecated:
    """An argument Keras 1.2.2 still accepted with a deprecation warning: the same warning
    (``UserWarning``, Keras 1.2.2's text) is raised here.  ``drop``: the argument had no
    effect and is removed; ``when``: warn only when this predicate of the keyword arguments
    holds (``nb_worker > 1`` without ``pickle_safe``)."""
    arg: str
    message: str
    drop: bool = True
    when: Optional[Callable[[dict], bool]] = None
    example: Any = True

    def names(self):
        return (self.arg,)

    def apply(self, owner, kwargs, native_given):
        if self.arg not in kwargs:
            return
        if self.when is not None and not self.when(kwargs):
            return
        warnings.warn(self.message, UserWarning, stacklevel=4)
        if self.drop:
            kwargs.pop(self.arg)

    def describe(self):
        return "%s= is deprecated: %s" % (self.arg, self.message)


@dataclasses.dataclass(frozen=True)
class Removed:
    """An argument Keras 1.2.2 refused here (it survived only on another method or class):
    refused with the replacement spelled out."""
    arg: str
    replacement: str
    example: Any = True

    def names(self):
        return (self.arg,)

    def apply(self, owner, kwargs, native_given):
        if self.arg in kwargs:
            raise ArgumentError("%s got %s=, which Keras 1.2.2 did not accept here either; %s"
                                % (owner, self.arg, self.replacement))

    def describe(self):
        return "%s= is refused: %s" % (self.arg, self.replacement)


def collect_rules(cls):
    """Every rule declared by ``cls`` and its bases, base classes first."""
    rules = []
    for klass in reversed(cls.__mro__):
        rules.extend(klass.__dict__.get("aliases", ()))
    return tuple(rules)


def apply_rules(owner: str, rules, signature: Optional[inspect.Signature], args: Tuple, kwargs: dict):
    """Rewrite ``kwargs`` in place according to ``rules``; returns the new kwargs."""
    if not rules:
        return kwargs
    kwargs = dict(kwargs)
    native_given = _positionally_bound(signature, args)
    for rule in rules:
        rule.apply(owner, kwargs, native_given)
    return kwargs


def _positionally_bound(signature, args):
    if signature is None or not args:
        return frozenset()
    params = [p for p in signature.parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    # the first parameter is ``self`` for methods and constructors
    return frozenset(p.name for p in params[1:len(args)])


def keras1_method(*rules):
    """Give a method the same alias engine as constructors (``fit(epochs=...)``)."""
    def decorate(func):
        signature = inspect.signature(func)
        owner_name = func.__qualname__

        @functools.wraps(func)
        def wrapper(self, *args, **kwargs):
            kwargs = apply_rules(owner_name + "()", rules, signature, (self,) + args, kwargs)
            _check_bindable(owner_name + "()", signature, (self,) + args, kwargs)
            return func(self, *args, **kwargs)

        wrapper.aliases = rules
        return wrapper
    return decorate


def _check_bindable(owner, signature, args, kwargs):
    try:
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        raise ArgumentError("%s: %s" % (owner, exc)) from None
