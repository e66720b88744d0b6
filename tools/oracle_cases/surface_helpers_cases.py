"""Outputs of Keras 1.2.2's module-level helpers (keras.engine.training, topology, utils,
optimizers.clip_norm, recurrent.time_distributed_dense) for tests/data/keras122_helpers.json.

Run: ``KERAS1_BACKEND=theano /work/shared/oracle/run_keras1.sh tools/oracle_cases/surface_helpers_cases.py
tests/data/keras122_helpers.json``. Each case records either ``result`` (JSON-able: arrays as
nested lists with their dtype and shape) or ``error`` (exception class and ``str``).

tests/test_keras122_helpers.py imports this file and runs :func:`run_cases` on keras_compat's
modules (through ``import keras``), so both sides make exactly the same calls.
"""
import json
import sys

import numpy as np


def encode(value):
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, (np.floating, np.integer)):
        return {"scalar": value.item(), "dtype": str(value.dtype)}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): encode(v) for k, v in value.items()}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return {"repr_type": type(value).__name__}


def record(cases, name, func):
    try:
        cases[name] = {"result": encode(func())}
    except Exception as exc:  # the message is the behaviour under test
        cases[name] = {"error": [type(exc).__name__, str(exc)]}



def run_cases():
    """Every case, on whatever ``import keras`` gives (real Keras 1.2.2 or keras_compat)."""
    from keras import backend as K
    from keras import activations, objectives, optimizers
    from keras.engine import training, topology
    from keras.layers.recurrent import time_distributed_dense
    from keras.utils import generic_utils, np_utils
    cases = {}

    def case(name, func):
        record(cases, name, func)

    a = np.arange(6, dtype="float32").reshape(3, 2)
    b = np.arange(3, dtype="float32")
    c = np.arange(12, dtype="float32").reshape(3, 4)

    # standardize_input_data
    case("sid_array", lambda: training.standardize_input_data(a, ["in"]))
    case("sid_1d", lambda: training.standardize_input_data(b, ["in"]))
    case("sid_list", lambda: training.standardize_input_data([a, c], ["x", "y"]))
    case("sid_dict", lambda: training.standardize_input_data({"y": c, "x": a}, ["x", "y"]))
    case("sid_dict_missing", lambda: training.standardize_input_data({"y": c}, ["x", "y"]))
    case("sid_wrong_count", lambda: training.standardize_input_data([a], ["x", "y"],
                                                                    exception_prefix="model input"))
    case("sid_plain_list_one", lambda: training.standardize_input_data([[1, 2], [3, 4]], ["x"]))
    case("sid_plain_list_many", lambda: training.standardize_input_data([1, 2, 3], ["x", "y"],
                                                                        exception_prefix="input"))
    case("sid_not_array", lambda: training.standardize_input_data("abc", ["x"],
                                                                  exception_prefix="input"))
    case("sid_one_for_two", lambda: training.standardize_input_data(a, ["x", "y"]))
    case("sid_shape_ok", lambda: training.standardize_input_data(a, ["x"], [(None, 2)]))
    case("sid_rank", lambda: training.standardize_input_data(a, ["x"], [(None, 2, 1)],
                                                             exception_prefix="model input"))
    case("sid_dim", lambda: training.standardize_input_data(a, ["x"], [(None, 3)],
                                                            exception_prefix="model target"))
    case("sid_batch_checked", lambda: training.standardize_input_data(a, ["x"], [(4, 2)]))
    case("sid_batch_unchecked", lambda: training.standardize_input_data(a, ["x"], [(4, 2)],
                                                                        check_batch_axis=False))

    # sample / class weights
    w = np.array([1., 2., 3.])
    case("ssw_none", lambda: training.standardize_sample_weights(None, ["o1", "o2"]))
    case("ssw_single", lambda: training.standardize_sample_weights(w, ["o"]))
    case("ssw_single_list", lambda: training.standardize_sample_weights([w], ["o"]))
    case("ssw_dict", lambda: training.standardize_sample_weights({"o2": w}, ["o1", "o2"]))
    case("ssw_list_wrong", lambda: training.standardize_sample_weights([w], ["o1", "o2"]))
    case("ssw_bad_type", lambda: training.standardize_sample_weights(w, ["o1", "o2"]))
    case("scw_dict", lambda: training.standardize_class_weights({0: 1., 1: 5.}, ["o"]))
    case("scw_named", lambda: training.standardize_class_weights({"o": {0: 2.}}, ["o"]))

    y_cat = np.array([[1, 0], [0, 1], [0, 1]], dtype="float32")
    y_int = np.array([[0], [1], [1]])
    y_seq = np.zeros((3, 4, 2), dtype="float32")
    case("sw_default", lambda: training.standardize_weights(y_cat))
    case("sw_temporal_default", lambda: training.standardize_weights(y_seq, sample_weight_mode="temporal"))
    case("sw_class_cat", lambda: training.standardize_weights(y_cat, class_weight={0: 1., 1: 3.}))
    case("sw_class_int", lambda: training.standardize_weights(y_int, class_weight={0: 1., 1: 3.}))
    case("sw_sample", lambda: training.standardize_weights(y_cat, sample_weight=w))
    case("sw_bad_mode", lambda: training.standardize_weights(y_cat, sample_weight_mode="step"))
    case("sw_temporal_2d_target", lambda: training.standardize_weights(y_cat, sample_weight_mode="temporal"))
    case("sw_temporal_1d_weight", lambda: training.standardize_weights(y_seq, sample_weight=w,
                                                                       sample_weight_mode="temporal"))
    case("sw_2d_weight", lambda: training.standardize_weights(y_cat, sample_weight=np.ones((3, 2))))
    case("sw_class_3d", lambda: training.standardize_weights(y_seq, class_weight={0: 1.}))

    # lengths and loss/target checks
    case("cal_ok", lambda: training.check_array_lengths([a, c], [a], [b]))
    case("cal_x", lambda: training.check_array_lengths([a, c[:2]], [a], [b]))
    case("cal_y", lambda: training.check_array_lengths([a], [a, c[:2]], [b]))
    case("cal_w", lambda: training.check_array_lengths([a], [a], [b, b[:2]]))
    case("cal_xy", lambda: training.check_array_lengths([a], [c[:2]], [b[:2]]))
    case("cal_xw", lambda: training.check_array_lengths([a], [a], [b[:2]]))
    case("clt_cce_int", lambda: training.check_loss_and_target_compatibility(
        [y_int], [objectives.categorical_crossentropy], [(None, 2)]))
    case("clt_bce_shape", lambda: training.check_loss_and_target_compatibility(
        [y_cat], [objectives.binary_crossentropy], [(None, 3)]))
    case("clt_mse_not_checked", lambda: training.check_loss_and_target_compatibility(
        [y_cat], [objectives.mean_squared_error], [(None, 3)]))
    case("clt_ok", lambda: training.check_loss_and_target_compatibility(
        [y_cat], [objectives.categorical_crossentropy], [(None, 2)]))

    # metrics, batches, slicing
    case("cm_none", lambda: training.collect_metrics(None, ["a", "b"]))
    case("cm_list", lambda: training.collect_metrics(["accuracy"], ["a", "b"]))
    case("cm_dict", lambda: training.collect_metrics({"b": "mse", "a": ["acc", "mae"]}, ["a", "b", "c"]))
    case("cm_bad", lambda: training.collect_metrics("accuracy", ["a"]))
    case("mb_10_3", lambda: training.make_batches(10, 3))
    case("mb_0_3", lambda: training.make_batches(0, 3))
    case("mb_6_3", lambda: training.make_batches(6, 3))


    def shuffled():
        np.random.seed(7)
        return training.batch_shuffle(np.arange(11), 3)


    case("batch_shuffle_seed7", shuffled)
    case("slice_range", lambda: training.slice_X(c, 1, 3))
    case("slice_start", lambda: training.slice_X([a, c], 2))
    case("slice_indices", lambda: training.slice_X([a, c], np.array([2, 0])))
    case("slice_list_indices", lambda: training.slice_X(a, [1, 1]))

    # weighted_objective on the backend
    yt = np.array([[0., 1.], [1., 0.], [1., 1.]], dtype="float32")
    yp = np.array([[.2, .7], [.6, .1], [.9, .4]], dtype="float32")
    sw = np.array([1., 0., 2.], dtype="float32")
    mask = np.array([1., 1., 0.], dtype="float32")
    weighted = training.weighted_objective(objectives.mean_squared_error)
    case("wo_weights", lambda: K.eval(weighted(K.variable(yt), K.variable(yp), K.variable(sw))))
    case("wo_weights_mask", lambda: K.eval(weighted(K.variable(yt), K.variable(yp), K.variable(sw),
                                                    K.variable(mask))))
    yt3 = np.arange(24, dtype="float32").reshape(2, 3, 4) / 10.
    yp3 = np.ones((2, 3, 4), dtype="float32")
    sw2 = np.array([[1., 0., 2.], [.5, 1., 0.]], dtype="float32")
    case("wo_temporal", lambda: K.eval(weighted(K.variable(yt3), K.variable(yp3), K.variable(sw2))))
    case("wo_sample_on_3d", lambda: K.eval(weighted(K.variable(yt3), K.variable(yp3),
                                                    K.variable(np.array([1., 3.], dtype="float32")))))

    # topology helpers
    case("to_list_list", lambda: topology.to_list([1, 2]))
    case("to_list_scalar", lambda: topology.to_list(3))
    case("to_list_tuple", lambda: topology.to_list((1, 2)))
    case("input_spec_shape", lambda: vars(topology.InputSpec(shape=(None, 3))))
    case("input_spec_ndim", lambda: vars(topology.InputSpec(ndim="2+", dtype="int32")))
    case("input_spec_bad_ndim", lambda: topology.InputSpec(ndim="2"))

    # np_utils conv lengths and convert_kernel's default ordering (keras.json: tf here)
    for mode in ("same", "valid", "full"):
        case("col_%s" % mode, lambda mode=mode: [np_utils.conv_output_length(n, 3, mode, s, d)
                                               for n in (7, 8, None) for s in (1, 2) for d in (1, 2)])
        case("cil_%s" % mode, lambda mode=mode: [np_utils.conv_input_length(n, 3, mode, s)
                                               for n in (4, 5, None) for s in (1, 2)])
    kernel = np.arange(24, dtype="float32").reshape(2, 3, 2, 2)
    case("convert_kernel_default", lambda: np_utils.convert_kernel(kernel))
    case("convert_kernel_th", lambda: np_utils.convert_kernel(kernel, "th"))
    case("convert_kernel_bad", lambda: np_utils.convert_kernel(kernel, "xy"))

    # custom objects and get_from_module


    def my_activation(x):
        return x


    def in_scope():
        with generic_utils.custom_object_scope({"my_activation": my_activation}):
            inside = activations.get("my_activation") is my_activation
            generic_utils.get_custom_objects()["extra"] = 1
            keys = sorted(generic_utils.get_custom_objects())
        return [inside, keys, sorted(generic_utils.get_custom_objects())]


    case("custom_object_scope", in_scope)
    case("gfm_string", lambda: generic_utils.get_from_module("a", {"a": 5}, "thing"))
    case("gfm_missing", lambda: generic_utils.get_from_module("b", {"a": 5}, "thing"))
    case("gfm_dict", lambda: generic_utils.get_from_module({"name": "f", "x": 2},
                                                           {"f": lambda x: x * 3}, "thing"))
    case("gfm_dict_missing", lambda: generic_utils.get_from_module({"name": "g", "x": 2},
                                                                   {"f": 1}, "thing"))
    case("gfm_instantiate", lambda: generic_utils.get_from_module("f", {"f": lambda **k: sorted(k)},
                                                                  "thing", True, {"z": 1, "y": 2}))
    case("gfm_passthrough", lambda: generic_utils.get_from_module(7, {}, "thing"))
    case("make_tuple", lambda: generic_utils.make_tuple(1, "a"))

    # optimizers
    case("clip_norm_big", lambda: K.eval(optimizers.clip_norm(K.variable(np.array([3., 4.])), 2.,
                                                              K.variable(5.))))
    case("clip_norm_small", lambda: K.eval(optimizers.clip_norm(K.variable(np.array([3., 4.])), 10.,
                                                                K.variable(5.))))
    case("clip_norm_off", lambda: K.eval(optimizers.clip_norm(K.variable(np.array([3., 4.])), 0.,
                                                              K.variable(5.))))
    case("ofc_adam", lambda: optimizers.optimizer_from_config(
        {"class_name": "Adam", "config": {"lr": 0.5}}).get_config())
    case("ofc_unknown", lambda: optimizers.optimizer_from_config({"class_name": "Foo", "config": {}}))

    # time_distributed_dense (no dropout)
    x3 = (np.arange(24, dtype="float32").reshape(2, 3, 4) - 10.) / 7.
    tw = (np.arange(20, dtype="float32").reshape(4, 5) - 9.) / 11.
    tb = np.arange(5, dtype="float32") / 3.
    case("tdd_bias", lambda: K.eval(time_distributed_dense(K.variable(x3), K.variable(tw), K.variable(tb),
                                                           input_dim=4, output_dim=5, timesteps=3)))


    def enqueued():
        def gen():
            i = 0
            while True:
                yield i
                i += 1
        enqueuer = training.GeneratorEnqueuer(gen(), pickle_safe=False)
        enqueuer.start(nb_worker=1, max_q_size=3)
        running = enqueuer.is_running()
        got = [enqueuer.queue.get() for _ in range(5)]
        enqueuer.stop()
        return [running, got, enqueuer.is_running(), enqueuer.queue is None]


    case("generator_enqueuer", enqueued)
    return cases


def main(path):
    from keras import backend as K
    cases = run_cases()
    with open(path, "w") as handle:
        json.dump({"keras_version": "1.2.2", "backend": K.backend(),
                   "generator": "tools/oracle_cases/surface_helpers_cases.py", "cases": cases},
                  handle, indent=1, sort_keys=True)
        handle.write("\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main(sys.argv[1])
