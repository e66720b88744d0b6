"""keras_compat.preprocessing.image against arrays made by real Keras 1.2.2 (seeded NumPy RNG)."""
import os

import numpy as np
import pytest
from PIL import Image

from keras_compat.backend import config
from keras_compat.preprocessing import image

import reference_data



@pytest.fixture(scope="module")
def ref():
    return reference_data.oracle("preprocessing_cases")


def _img_and_batch():
    rng = np.random.RandomState(3)
    img = rng.uniform(0, 255, size=(9, 11, 3)).astype("float32")
    batch = rng.uniform(0, 1, size=(60, 3, 4, 3)).astype("float32")
    return img, batch


@pytest.mark.parametrize("mode", ["nearest", "constant", "reflect", "wrap"])
def test_random_transform_all_options_matches_keras1(ref, mode):
    img, _ = _img_and_batch()
    gen = image.ImageDataGenerator(rotation_range=30, width_shift_range=0.2, height_shift_range=0.1,
                                   shear_range=0.3, zoom_range=0.2, channel_shift_range=20, fill_mode=mode,
                                   cval=7., horizontal_flip=True, vertical_flip=True, dim_ordering="tf")
    np.random.seed(11)
    got = np.stack([gen.random_transform(img.copy()) for _ in range(4)])
    np.testing.assert_allclose(got, ref["rt_tf_" + mode], rtol=1e-6)


def test_random_transform_th_and_helpers_match_keras1(ref):
    img, _ = _img_and_batch()
    gen = image.ImageDataGenerator(rotation_range=45, zoom_range=[0.8, 1.3], shear_range=0.5, dim_ordering="th")
    np.random.seed(12)
    got = np.stack([gen.random_transform(img.transpose(2, 0, 1).copy()) for _ in range(3)])
    np.testing.assert_allclose(got, ref["rt_th"], rtol=1e-6)
    np.random.seed(13)
    np.testing.assert_allclose(image.random_rotation(img, 40, 0, 1, 2), ref["rand_rotation"])
    np.testing.assert_allclose(image.random_shift(img, 0.2, 0.3, 0, 1, 2, fill_mode="constant", cval=1.),
                               ref["rand_shift"])
    np.testing.assert_allclose(image.random_shear(img, 0.4, 0, 1, 2, fill_mode="reflect"), ref["rand_shear"])
    np.testing.assert_allclose(image.random_zoom(img, (0.7, 1.2), 0, 1, 2, fill_mode="wrap"), ref["rand_zoom"])
    np.testing.assert_allclose(image.random_channel_shift(img, 30., 2), ref["rand_chshift"], rtol=1e-6)


@pytest.mark.parametrize("mode", ["nearest", "constant", "wrap"])
def test_numpy_warp_equals_scipy(monkeypatch, mode):
    pytest.importorskip("scipy")
    rng = np.random.RandomState(1)
    for _ in range(40):
        h, w = rng.randint(2, 13, size=2)
        chan = rng.rand(h, w).astype("float32")
        th, s = rng.uniform(-1.2, 1.2), rng.uniform(0.5, 1.6)
        matrix = np.array([[np.cos(th) * s, -np.sin(th)], [np.sin(th), np.cos(th) / s]])
        offset = rng.uniform(-6, 6, size=2)
        scipy_out = image._ndi.affine_transform(chan, matrix, offset, order=0, mode=mode, cval=-3.0)
        np.testing.assert_array_equal(image._affine_numpy(chan, matrix, offset, mode, -3.0), scipy_out)


def test_fit_and_standardize_match_keras1(ref):
    _, batch = _img_and_batch()
    gen = image.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True,
                                   zca_whitening=True, samplewise_center=True, samplewise_std_normalization=True,
                                   rescale=2.0, dim_ordering="tf")
    gen.fit(batch)
    np.testing.assert_allclose(gen.mean, ref["fit_mean"], rtol=1e-5)
    np.testing.assert_allclose(gen.std, ref["fit_std"], rtol=1e-5)
    np.testing.assert_allclose(gen.principal_components, ref["fit_pc"], rtol=1e-4, atol=1e-4)
    got = np.stack([gen.standardize(b.copy()) for b in batch[:6]])
    np.testing.assert_allclose(got, ref["standardized"], rtol=1e-4, atol=1e-4)
    gen_aug = image.ImageDataGenerator(featurewise_center=True, rotation_range=20, dim_ordering="tf")
    gen_aug.fit(batch[:6], augment=True, rounds=2, seed=5)
    np.testing.assert_allclose(gen_aug.mean, ref["fit_aug_mean"], rtol=1e-5)


def test_flow_seeded_batches_match_keras1(ref):
    _, batch = _img_and_batch()
    gen = image.ImageDataGenerator(horizontal_flip=True, width_shift_range=0.3, dim_ordering="tf")
    it = gen.flow(batch[:6], np.arange(6), batch_size=4, shuffle=True, seed=21)
    for k in range(3):
        bx, by = next(it)
        np.testing.assert_allclose(bx, ref["flow_x%d" % k], rtol=1e-6)
        np.testing.assert_array_equal(by, ref["flow_y%d" % k])
    assert [len(next(it)[1]) for _ in range(2)] == [2, 4]  # short last batch, then a new epoch


def test_flow_default_ordering_follows_config_and_checks_input():
    config.set_image_dim_ordering("th")
    gen = image.ImageDataGenerator()
    assert gen.dim_ordering == "th" and gen.channel_axis == 1
    out = next(gen.flow(np.zeros((3, 1, 5, 5)), batch_size=2, shuffle=False))
    assert out.shape == (2, 1, 5, 5) and out.dtype == np.float32
    with pytest.raises(ValueError, match="expected either 1, 3 or 4 channels on axis 1"):
        gen.flow(np.zeros((3, 5, 5, 5)))
    with pytest.raises(ValueError, match="same length"):
        gen.flow(np.zeros((3, 1, 5, 5)), np.zeros(2))
    with pytest.raises(ValueError, match="fill_mode must be one of"):
        image.ImageDataGenerator(fill_mode="mirror")
    with pytest.raises(ValueError, match="zoom_range"):
        image.ImageDataGenerator(zoom_range=(0.5, 1, 2))
    with pytest.raises(ValueError, match="rank 4"):
        gen.fit(np.zeros((5, 5, 5)))


def test_unfit_featurewise_warns():
    gen = image.ImageDataGenerator(featurewise_center=True, dim_ordering="tf")
    with pytest.warns(UserWarning, match="hasn't been fit"):
        gen.standardize(np.ones((2, 2, 3), dtype="float32"))


def test_array_img_round_trip_and_load_img(tmp_path):
    arr = np.random.RandomState(0).randint(0, 256, size=(6, 8, 3)).astype("float32")
    img = image.array_to_img(arr, dim_ordering="tf", scale=False)
    assert img.size == (8, 6) and img.mode == "RGB"
    np.testing.assert_array_equal(image.img_to_array(img, dim_ordering="tf"), arr)
    assert image.img_to_array(img, dim_ordering="th").shape == (3, 6, 8)
    scaled = image.img_to_array(image.array_to_img(arr - 50., dim_ordering="tf"), dim_ordering="tf")
    assert scaled.min() == 0 and scaled.max() == 255
    path = str(tmp_path / "pic.png")
    img.save(path)
    loaded = image.load_img(path, target_size=(3, 4))
    assert loaded.size == (4, 3)
    assert image.img_to_array(image.load_img(path, grayscale=True), dim_ordering="tf").shape == (6, 8, 1)
    assert image.list_pictures(str(tmp_path)) == [path]
    with pytest.raises(ValueError, match="rank 3"):
        image.array_to_img(np.zeros((2, 2)))
    with pytest.raises(FileNotFoundError, match="no image file"):
        image.load_img(str(tmp_path / "missing.png"))


def test_flip_axis():
    x = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(image.flip_axis(x, 1), x[:, ::-1])
    np.testing.assert_array_equal(image.flip_axis(x, 0), x[::-1])


def _make_tree(root):
    rng = np.random.RandomState(0)
    for cls, n in (("cats", 3), ("dogs", 2)):
        os.makedirs(os.path.join(root, cls, "sub"))
        for i in range(n):
            arr = rng.randint(0, 256, size=(10, 12, 3)).astype("uint8")
            folder = os.path.join(root, cls, "sub" if i == 0 else "")
            Image.fromarray(arr).save(os.path.join(folder, "im%d.png" % i))
        open(os.path.join(root, cls, "notes.txt"), "w").close()


def test_flow_from_directory(tmp_path, capsys):
    _make_tree(str(tmp_path))
    gen = image.ImageDataGenerator(rescale=1. / 255, dim_ordering="tf")
    it = gen.flow_from_directory(str(tmp_path), target_size=(8, 6), batch_size=4, shuffle=False)
    assert "Found 5 images belonging to 2 classes." in capsys.readouterr().out
    assert it.class_indices == {"cats": 0, "dogs": 1}
    assert it.classes.tolist() == [0, 0, 0, 1, 1]
    assert sorted(it.filenames[:3]) == [os.path.join("cats", n) for n in ("im1.png", "im2.png", "sub/im0.png")]
    bx, by = next(it)
    assert bx.shape == (4, 8, 6, 3) and 0 <= bx.min() and bx.max() <= 1
    first = image.img_to_array(image.load_img(os.path.join(str(tmp_path), it.filenames[0]), target_size=(8, 6)),
                               dim_ordering="tf")
    np.testing.assert_allclose(bx[0], first / 255., rtol=1e-6)
    assert by.tolist() == [[1, 0], [1, 0], [1, 0], [0, 1]]
    bx, by = next(it)
    assert bx.shape == (1, 8, 6, 3)
    it = image.ImageDataGenerator(dim_ordering="th").flow_from_directory(
        str(tmp_path), target_size=(5, 5), color_mode="grayscale", class_mode="sparse", batch_size=5, seed=1)
    bx, by = next(it)
    assert bx.shape == (5, 1, 5, 5) and sorted(by.tolist()) == [0, 0, 0, 1, 1]


def test_flow_from_directory_missing_or_empty_folder(tmp_path):
    gen = image.ImageDataGenerator()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        gen.flow_from_directory(str(tmp_path / "nope"))
    with pytest.raises(ValueError, match="no images"):
        gen.flow_from_directory(str(tmp_path))
    os.makedirs(str(tmp_path / "a"))
    with pytest.raises(ValueError, match="classes: a"):
        gen.flow_from_directory(str(tmp_path))
    with pytest.raises(ValueError, match="class_mode"):
        gen.flow_from_directory(str(tmp_path), class_mode="onehot")


def test_reflect_reproduces_old_scipy_at_half_pixels():
    # Probed on SciPy 0.19 (Keras 1.2.2's oracle): 1-D row 0..4 shifted by 0.5/1.5/2.5 and -5.5.
    row = np.arange(5.)[None, :]
    for offset, expected in ((0.5, [1, 2, 3, 4, 3]), (1.5, [2, 3, 4, 3, 4]), (2.5, [3, 4, 3, 4, 3]),
                             (-5.5, [3, 4, 3, 2, 1]), (-6.5, [4, 3, 4, 3, 2])):
        got = image._affine_numpy(row, np.eye(2), np.array([0., offset]), "reflect", 0.)
        assert got[0].tolist() == expected, offset
