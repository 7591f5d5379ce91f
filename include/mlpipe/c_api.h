/* The embedded C API of mlpipe: load a model bundle and score rows in another
 * program (libmlpipe.so). docs/embedded.md is the reference with examples.
 *
 * Conventions (as XGBoost's C API):
 *   - Every function except mlpipe_version and mlpipe_last_error returns an
 *     int status: MLPIPE_OK (0) on success, another MLPIPE_ERR_* code on
 *     failure. After a failure, mlpipe_last_error() returns a message naming
 *     what is at fault (the column, the row, the buffer, the bundle part).
 *   - Nothing throws across this boundary and nothing aborts: every failure,
 *     out-of-memory included, comes back as a status.
 *   - Strings are UTF-8 and NUL-terminated. A `const char*` handed out by a
 *     model (column names, categories, class names, feature names) stays
 *     valid until that model is freed.
 *   - Output buffers belong to the caller; each comes with its length in
 *     elements, and a buffer shorter than the call needs is an error (nothing
 *     is written past it). A NULL output buffer means "not wanted".
 *
 * Thread safety: a loaded model is immutable. Any number of threads may call
 * the scoring, explanation and schema functions on one model at once; freeing
 * a model while another thread uses it is the caller's error. The last error
 * is per thread.
 *
 * The declarations are C89 (capi/c89_check.c compiles this header with
 * -std=c89 -pedantic-errors). The library is C++ inside and brings the C++
 * runtime as its own dependency: a C program links with -lmlpipe alone. */
#ifndef MLPIPE_C_API_H_
#define MLPIPE_C_API_H_

#include <stddef.h>

#if defined(__GNUC__)
#define MLPIPE_API __attribute__((visibility("default")))
#else
#define MLPIPE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes: the codes of mlpipe's own Status (core/status.h). */
#define MLPIPE_OK 0
#define MLPIPE_ERR_INVALID_ARGUMENT 1  /* bad input: unknown column, wrong type, short buffer */
#define MLPIPE_ERR_NOT_FOUND 2         /* a file or a name that does not exist */
#define MLPIPE_ERR_ALREADY_EXISTS 3
#define MLPIPE_ERR_FAILED_PRECONDITION 4 /* e.g. a bundle of a newer format */
#define MLPIPE_ERR_OUT_OF_RANGE 5        /* an index past the end */
#define MLPIPE_ERR_DATA_LOSS 6           /* a damaged bundle: checksum, truncation */
#define MLPIPE_ERR_IO 7                  /* the operating system refused */
#define MLPIPE_ERR_UNAVAILABLE 8
#define MLPIPE_ERR_INTERNAL 9 /* a bug in mlpipe, or out of memory */

/* Learning tasks (mlpipe_model_task). */
#define MLPIPE_TASK_BINARY 0
#define MLPIPE_TASK_MULTICLASS 1
#define MLPIPE_TASK_REGRESSION 2

/* Input column types (mlpipe_model_column). Bool, int64 and float64 columns
 * are "numeric" for mlpipe_predict_matrix; categorical and string columns are
 * "categorical" there. */
#define MLPIPE_TYPE_BOOL 0
#define MLPIPE_TYPE_INT64 1
#define MLPIPE_TYPE_FLOAT64 2
#define MLPIPE_TYPE_CATEGORICAL 3
#define MLPIPE_TYPE_STRING 4

/* A loaded model bundle (opaque). */
typedef struct mlpipe_model mlpipe_model;

/* The library's version, e.g. "0.1.0". Never fails. */
MLPIPE_API const char* mlpipe_version(void);

/* The message of the last failed call on this thread ("" when none failed).
 * Valid until the next failing call on this thread. Never fails. */
MLPIPE_API const char* mlpipe_last_error(void);

/* ---- Loading --------------------------------------------------------------- */

/* Loads the bundle file at `path` (every checksum verified). On success *out
 * holds a model to release with mlpipe_model_free. */
MLPIPE_API int mlpipe_model_load_file(const char* path, mlpipe_model** out);

/* Loads a bundle from `size` bytes at `data` (copied; the caller keeps them). */
MLPIPE_API int mlpipe_model_load_bytes(const void* data, size_t size, mlpipe_model** out);

/* Releases `model`; NULL is accepted and does nothing. */
MLPIPE_API int mlpipe_model_free(mlpipe_model* model);

/* ---- What the model is ---------------------------------------------------- */

/* MLPIPE_TASK_BINARY, _MULTICLASS or _REGRESSION. */
MLPIPE_API int mlpipe_model_task(const mlpipe_model* model, int* out_task);

/* The number of classes (0 for regression). */
MLPIPE_API int mlpipe_model_num_classes(const mlpipe_model* model, size_t* out);

/* The name of class `index` (class indices are what the label outputs hold;
 * binary: 0 the negative, 1 the positive class). */
MLPIPE_API int mlpipe_model_class_name(const mlpipe_model* model, size_t index, const char** out);

/* ---- Input schema --------------------------------------------------------- */

/* The number of input columns. */
MLPIPE_API int mlpipe_model_num_columns(const mlpipe_model* model, size_t* out);

/* Column `index` (0-based, schema order): its name and MLPIPE_TYPE_*. Either
 * output may be NULL. */
MLPIPE_API int mlpipe_model_column(const mlpipe_model* model, size_t index, const char** out_name,
                                   int* out_type);

/* The allowed categories of a categorical column: their number (0 when the
 * schema allows any value or the column is not categorical) and each one. */
MLPIPE_API int mlpipe_model_column_num_categories(const mlpipe_model* model, size_t column,
                                                  size_t* out);
MLPIPE_API int mlpipe_model_column_category(const mlpipe_model* model, size_t column, size_t index,
                                            const char** out);

/* The widths of mlpipe_predict_matrix's two inputs: the numeric columns and
 * the categorical columns, each in schema order. Either output may be NULL. */
MLPIPE_API int mlpipe_model_input_widths(const mlpipe_model* model, size_t* out_numeric,
                                         size_t* out_categorical);

/* ---- Scoring -------------------------------------------------------------- */

/* Outputs of both scoring functions, per row:
 *   classification: labels[r] the class index (binary: positive when its
 *     probability exceeds the bundle's decision threshold; multiclass: the
 *     most probable class) and probabilities[r * num_classes + k] the
 *     probability of class k; `values` must be NULL.
 *   regression: values[r] the prediction; `labels` and `probabilities` must
 *     be NULL.
 * At least one buffer must be given, except for a size query (below). */

/* Scores rows given as JSON text: an array of objects {column: value, ...}
 * (or one object, one row). Every input column must be present (null =
 * missing); a key that is no input column is an error naming it. A value of
 * another type than the column's is converted when it converts exactly (a
 * number given as text, an integer as a float), otherwise an error naming the
 * column and row. *out_rows (which may be NULL) receives the number of rows.
 * A size query: with every buffer NULL, the call only parses and counts the
 * rows (nothing is scored). */
MLPIPE_API int mlpipe_predict_json(const mlpipe_model* model, const char* json_rows,
                                   size_t* out_rows, int* labels, size_t labels_len,
                                   double* probabilities, size_t probabilities_len, double* values,
                                   size_t values_len);

/* Scores `rows` rows given as two row-major matrices in schema order:
 * `numeric` (rows x num_numeric doubles, NaN = missing; a bool is 0 or 1, an
 * int64 column takes integral values) and `categorical` (rows x
 * num_categorical strings, NULL = missing). num_numeric and num_categorical
 * must be mlpipe_model_input_widths' (a matrix of width 0 may be NULL). */
MLPIPE_API int mlpipe_predict_matrix(const mlpipe_model* model, size_t rows, const double* numeric,
                                     size_t num_numeric, const char* const* categorical,
                                     size_t num_categorical, int* labels, size_t labels_len,
                                     double* probabilities, size_t probabilities_len,
                                     double* values, size_t values_len);

/* ---- Explanations --------------------------------------------------------- */

/* The model's features (the outputs of the fitted feature pipeline, e.g. one
 * per one-hot category) and the number of outputs explained: 1 for binary
 * (the positive class' log-odds) and regression, one per class for
 * multiclass. */
MLPIPE_API int mlpipe_model_num_features(const mlpipe_model* model, size_t* out);
MLPIPE_API int mlpipe_model_feature_name(const mlpipe_model* model, size_t index, const char** out);
MLPIPE_API int mlpipe_model_num_outputs(const mlpipe_model* model, size_t* out);

/* Explains one row given as a JSON object (as mlpipe_predict_json takes it):
 * contributions[o * num_features + f] is feature f's contribution to output
 * o's margin (SHAP values for trees, coefficient x value for linear models)
 * and bias[o] the margin's base, so that bias[o] + the sum of the row of
 * contributions is the margin before the link. Buffers hold at least
 * num_outputs x num_features and num_outputs values. */
MLPIPE_API int mlpipe_explain_json(const mlpipe_model* model, const char* json_row,
                                   double* contributions, size_t contributions_len, double* bias,
                                   size_t bias_len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MLPIPE_C_API_H_ */
