"""``keras.applications.music_tagger_crnn``: Keunwoo Choi's convolutional-recurrent music
tagger (https://github.com/keunwoochoi/music-auto_tagging-keras), optionally with its Million
Song Dataset weights read from the Keras cache.

Its input is a 96-band mel spectrogram of 1366 frames (see ``audio_conv_utils``); both weight
files hold TensorFlow kernels and are loaded by layer name, as Keras 1.2.2 loaded them.
"""
from keras_compat import backend as K
from keras_compat.applications import _weights_file
from keras_compat.applications._model_input import model_input, model_inputs
from keras_compat.applications.audio_conv_utils import decode_predictions, preprocess_input
from keras_compat.layers import (ELU, GRU, BatchNormalization, Convolution2D, Dense, MaxPooling2D,
                                 Permute, Reshape, ZeroPadding2D)
from keras_compat.models import Model

__all__ = ["MusicTaggerCRNN", "decode_predictions", "preprocess_input"]

_RELEASE = "https://github.com/fchollet/deep-learning-models/releases/download/v0.3/"
TH_WEIGHTS_PATH = _RELEASE + "music_tagger_crnn_weights_tf_kernels_th_dim_ordering.h5"
TF_WEIGHTS_PATH = _RELEASE + "music_tagger_crnn_weights_tf_kernels_tf_dim_ordering.h5"

# image_dim_ordering -> the file Keras 1.2.2 cached (no MD5 checked; TF kernels in both).
WEIGHTS_FILES = {
    "th": _weights_file.from_origin(TH_WEIGHTS_PATH, "tensorflow"),
    "tf": _weights_file.from_origin(TF_WEIGHTS_PATH, "tensorflow"),
}

MEL_BANDS = 96
FRAMES = 1366
# (filters, pooling) of the four convolution blocks.
CONV_BLOCKS = ((64, 2), (128, 3), (128, 4), (128, 4))


def MusicTaggerCRNN(weights="msd", input_tensor=None, include_top=True, classes=50):
    """The MusicTaggerCRNN model, in the configured image_dim_ordering.

    # Arguments
        weights: None (random initialisation) or ``'msd'`` (the pretrained file from
            ``~/.keras/models/``; never downloaded).
        input_tensor: a tensor (e.g. the output of ``Input()``) to build the model on.
        include_top: whether to add the 50-tag sigmoid layer; without it the model outputs
            32 features.
        classes: number of tags; 50 with the MSD weights.
    """
    _weights_file.check_weights_argument(weights, include_top, classes, "msd",
                                         "Million Song Dataset", 50)
    th = K.image_dim_ordering() == "th"
    input_shape = (1, MEL_BANDS, FRAMES) if th else (MEL_BANDS, FRAMES, 1)
    channel_axis, time_axis = (1, 3) if th else (3, 2)
    entry = WEIGHTS_FILES[K.image_dim_ordering()] if weights is not None else None
    path = _weights_file.locate("MusicTaggerCRNN", weights, entry) if entry else None

    start = model_input(input_tensor, input_shape)
    # Pad the time axis to 1440 frames, so the four poolings leave 15 steps.
    x = ZeroPadding2D(padding=(0, 37))(start)
    x = BatchNormalization(axis=time_axis, name="bn_0_freq")(x)
    for block, (filters, pool) in enumerate(CONV_BLOCKS, 1):
        x = Convolution2D(filters, 3, 3, border_mode="same", name="conv%d" % block)(x)
        x = BatchNormalization(axis=channel_axis, mode=0, name="bn%d" % block)(x)
        x = ELU()(x)
        x = MaxPooling2D(pool_size=(pool, pool), strides=(pool, pool), name="pool%d" % block)(x)
    if th:
        x = Permute((3, 1, 2))(x)
    x = Reshape((15, 128))(x)
    x = GRU(32, return_sequences=True, name="gru1")(x)
    x = GRU(32, return_sequences=False, name="gru2")(x)
    if include_top:
        x = Dense(classes, activation="sigmoid", name="output")(x)
    model = Model(model_inputs(input_tensor, start), x, name="music_tagger_crnn")

    if path is not None:
        _weights_file.load(model, path, entry, by_name=True)
    return model
