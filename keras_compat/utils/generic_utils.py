"""Keras-1 ``keras.utils.generic_utils``: ``Progbar`` and ``get_from_module``."""
from keras_compat.training.progbar import Progbar  # noqa: F401

__all__ = ['Progbar', 'get_from_module']


def get_from_module(identifier, module_params, module_name,
                    instantiate=False, kwargs=None):
    """Resolves ``identifier`` against ``module_params`` (a name -> object dict).

    * a string is looked up (``ValueError('Invalid <module_name>: <id>')`` if
      missing or falsy); with ``instantiate`` the found object is called,
      with ``**kwargs`` when they are given;
    * a dict ``{'name': ..., **params}`` looks up ``name`` and returns
      ``obj(**params)`` (the caller's dict is left untouched);
    * anything else (e.g. an already built object or a callable) is returned
      unchanged.
    """
    if isinstance(identifier, str):
        found = module_params.get(identifier)
        if not found:
            raise ValueError('Invalid ' + str(module_name) + ': ' +
                             str(identifier))
        if instantiate:
            return found(**kwargs) if kwargs else found()
        return found
    if isinstance(identifier, dict):
        params = dict(identifier)
        name = params.pop('name')
        found = module_params.get(name)
        if found:
            return found(**params)
        raise ValueError('Invalid ' + str(module_name) + ': ' + str(params))
    return identifier
