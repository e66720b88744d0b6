"""get_test_data with fixed seeds under real Keras 1.2.2 (run with /work/shared/oracle/run_keras1.sh)."""
import sys, json
import numpy as np
from keras.utils.test_utils import get_test_data
np.random.seed(3)
(a, b), (c, d) = get_test_data(nb_train=6, nb_test=4, input_shape=(3,), classification=True, nb_class=3)
np.random.seed(4)
(e, f), (g, h) = get_test_data(nb_train=5, nb_test=2, input_shape=(2, 2), output_shape=(3,), classification=False)
np.savez_compressed(sys.argv[1], x_train_c=a, y_train_c=b, x_test_c=c, y_test_c=d, x_train_r=e, y_train_r=f, x_test_r=g, y_test_r=h, meta=np.array(json.dumps({"seeds": [3, 4]})))
