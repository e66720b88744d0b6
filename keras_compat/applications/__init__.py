"""``keras.applications``: the Keras 1.2.2 image models, built layer for layer as Keras 1.2.2
built them, with pretrained weights read from the Keras cache (``~/.keras/models/``) and
never downloaded.

As in Keras 1.2.2 the package exports the five image models; ``MusicTaggerCRNN`` is imported
from ``keras.applications.music_tagger_crnn``.
"""
from keras_compat.applications.inception_v3 import InceptionV3
from keras_compat.applications.resnet50 import ResNet50
from keras_compat.applications.vgg16 import VGG16
from keras_compat.applications.vgg19 import VGG19
from keras_compat.applications.xception import Xception

__all__ = ["VGG16", "VGG19", "ResNet50", "InceptionV3", "Xception"]
