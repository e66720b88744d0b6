'''Two-branch question answering (Keras-1 babi style): Merge of two Sequential encoders.

Synthetic task: the answer is the word of the story at the position named by the question.
'''
from __future__ import print_function
import numpy as np
np.random.seed(7)

from keras.models import Sequential
from keras.layers import Dense, Embedding, Flatten, Merge, Activation

vocab, story_len = 8, 4
n = 600
stories = np.random.randint(1, vocab, size=(n, story_len))
questions = np.random.randint(0, story_len, size=(n, 1))
answers = np.zeros((n, vocab), 'float32')
answers[np.arange(n), stories[np.arange(n), questions[:, 0]]] = 1

story_encoder = Sequential()
story_encoder.add(Embedding(vocab, 8, input_length=story_len))
story_encoder.add(Flatten())

question_encoder = Sequential()
question_encoder.add(Embedding(story_len, 8, input_length=1))
question_encoder.add(Flatten())

model = Sequential()
model.add(Merge([story_encoder, question_encoder], mode='concat'))
model.add(Dense(64, activation='relu'))
model.add(Dense(vocab))
model.add(Activation('softmax'))
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model.summary()
model.fit([stories[:500], questions[:500]], answers[:500], batch_size=32, nb_epoch=40, verbose=0)
loss, acc = model.evaluate([stories[500:], questions[500:]], answers[500:], verbose=0)
print('Test loss / test accuracy = {:.4f} / {:.4f}'.format(loss, acc))
