"""Bounded parsing of the JSON and YAML configs a model file carries.

A config is data from a file: its size, its nesting and, for YAML, the size it expands to
through aliases (``*a`` repeats the whole anchored node: nine levels of nine-fold aliases
fit in 300 bytes and expand to 10^8 nodes) are bounded before anything walks it.
"""
import json

# A Keras-1 config of a few hundred layers is ~100 KB; these leave room for very large graphs.
MAX_CONFIG_BYTES = 64 * 1024 * 1024
MAX_CONFIG_NODES = 2_000_000  # scalars, lists and mappings after alias expansion
MAX_CONFIG_DEPTH = 200


def _check_size(text, what):
    if len(text) > MAX_CONFIG_BYTES:
        raise ValueError("%s: the config is %d bytes, more than the %d a model config may have "
                         "(keras_compat.saving.limits.MAX_CONFIG_BYTES)"
                         % (what, len(text), MAX_CONFIG_BYTES))


def parse_json(text, what):
    """``json.loads(text)`` with bounded size and nesting; ``what`` names the source."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError("%s: the config is not UTF-8 text (%s)" % (what, exc)) from None
    if not isinstance(text, str):
        raise ValueError("%s: the config must be a JSON string, got %s"
                         % (what, type(text).__name__))
    _check_size(text, what)
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("%s: the config nests deeper than Python can parse" % what) from None
    except ValueError as exc:
        raise ValueError("%s: the config is not valid JSON (%s)" % (what, exc)) from None
    _check_nodes(value, what)
    return value


def _check_nodes(value, what):
    """Refuse values nested deeper than MAX_CONFIG_DEPTH or with more than MAX_CONFIG_NODES."""
    count, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if depth > MAX_CONFIG_DEPTH or count > MAX_CONFIG_NODES:
            raise ValueError("%s: the config is nested deeper than %d levels or has more than %d "
                             "values; a model config never does" % (what, MAX_CONFIG_DEPTH,
                                                                    MAX_CONFIG_NODES))
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def yaml_loader(yaml, what):
    """A SafeLoader class (plus Keras 1's ``!!python/tuple``) that refuses, before constructing
    anything, a document whose aliases expand it past MAX_CONFIG_NODES."""

    class Keras1Loader(yaml.SafeLoader):
        def construct_document(self, node):
            _check_expanded_size(yaml, node, what)
            return super().construct_document(node)

    def tuple_constructor(loader, node):
        return list(loader.construct_sequence(node))

    Keras1Loader.add_constructor("tag:yaml.org,2002:python/tuple", tuple_constructor)
    return Keras1Loader


def _check_expanded_size(yaml, root, what):
    """Count the nodes ``root`` expands to, each distinct node visited once."""
    sizes = {}  # id(node) -> expanded size; None while its children are being counted
    stack = [(root, 0, False)]
    while stack:  # iterative post-order: compose graphs can be deep
        node, depth, children_done = stack.pop()
        if children_done:
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in _children(yaml, node))
            continue
        if id(node) in sizes:
            if sizes[id(node)] is None:
                raise ValueError("%s: the YAML config refers to itself through an alias" % what)
            continue
        if depth > MAX_CONFIG_DEPTH:
            raise ValueError("%s: the YAML config is nested deeper than %d levels"
                             % (what, MAX_CONFIG_DEPTH))
        sizes[id(node)] = None
        stack.append((node, depth, True))
        for child in _children(yaml, node):
            stack.append((child, depth + 1, False))
    if sizes[id(root)] > MAX_CONFIG_NODES:
        raise ValueError("%s: the YAML config's aliases expand it to %d values, more than the %d "
                         "a model config may have (an alias bomb?); refused before expanding it"
                         % (what, sizes[id(root)], MAX_CONFIG_NODES))


def _children(yaml, node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def parse_yaml(yaml, text, what):
    _check_size(text, what)
    try:
        return yaml.load(text, Loader=yaml_loader(yaml, what))
    except yaml.YAMLError as exc:
        raise ValueError("%s: the string is not YAML that can be read safely (%s)"
                         % (what, exc)) from None
