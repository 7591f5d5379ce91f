/* Compiled with -std=c89 -pedantic-errors (capi/CMakeLists.txt): the C API's
 * header stays plain C89, usable from any C compiler. */
#include "mlpipe/c_api.h"

int mlpipe_c89_check(void);

int mlpipe_c89_check(void) {
  mlpipe_model* model = NULL;
  size_t n = 0;
  int status = mlpipe_model_num_columns(model, &n);
  return status == MLPIPE_OK ? 0 : 1;
}
