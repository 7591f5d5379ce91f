/* Scores a CSV file with a model bundle through mlpipe's C API.
 *
 *   score BUNDLE INPUT.csv
 *
 * Prints the model's input schema to standard error, then the predictions to
 * standard output in the format of `mlpipe predict` (row, predicted label or
 * prediction, class probabilities). The whole file is scored in one call of
 * the matrix entry: numeric columns as doubles (empty = missing, NaN),
 * categorical columns as strings (empty = missing, NULL). Fields may be
 * double-quoted ("" inside quotes is a quote); a field may not span lines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlpipe/c_api.h"

/* Splits `line` in place into at most `max` fields; returns their number. */
static size_t split_csv(char* line, char** fields, size_t max) {
  size_t n = 0;
  char* p = line;
  for (;;) {
    char* out = p;
    char* start = p;
    if (*p == '"') {
      ++p;
      for (;;) {
        if (*p == '\0') break;
        if (*p == '"' && p[1] == '"') {
          *out++ = '"';
          p += 2;
        } else if (*p == '"') {
          ++p;
          break;
        } else {
          *out++ = *p++;
        }
      }
      while (*p != '\0' && *p != ',') ++p;
    } else {
      while (*p != '\0' && *p != ',') *out++ = *p++;
    }
    {
      const int last = *p == '\0';
      *out = '\0';
      if (n < max) fields[n++] = start;
      if (last) break;
      ++p;
    }
  }
  return n;
}

static void chomp(char* s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

static int fail(const char* what) {
  fprintf(stderr, "error: %s: %s\n", what, mlpipe_last_error());
  return 1;
}

static const char* type_name(int type) {
  static const char* names[] = {"bool", "int64", "float64", "categorical", "string"};
  return type >= 0 && type <= 4 ? names[type] : "?";
}

int main(int argc, char** argv) {
  mlpipe_model* model = NULL;
  size_t ncol = 0, nn = 0, nc = 0, k = 0, i, j, rows = 0, cap = 0, nfields;
  int task = 0, rc = 1;
  size_t* pos = NULL; /* CSV field of each schema column */
  int* types = NULL;
  char line[65536];
  char* fields[1024];
  char** header = NULL;
  size_t nheader = 0;
  double* numeric = NULL;
  char** text = NULL;
  const char** categorical = NULL;
  int* labels = NULL;
  double* out = NULL;
  FILE* in;

  if (argc != 3) {
    fprintf(stderr, "usage: %s BUNDLE INPUT.csv\n", argv[0]);
    return 2;
  }
  if (mlpipe_model_load_file(argv[1], &model) != MLPIPE_OK) return fail("load");
  if (mlpipe_model_task(model, &task) != MLPIPE_OK ||
      mlpipe_model_num_classes(model, &k) != MLPIPE_OK ||
      mlpipe_model_num_columns(model, &ncol) != MLPIPE_OK ||
      mlpipe_model_input_widths(model, &nn, &nc) != MLPIPE_OK) {
    rc = fail("schema");
    goto done;
  }

  /* The schema, to standard error. */
  fprintf(stderr, "mlpipe %s; task %s; %lu input columns\n", mlpipe_version(),
          task == MLPIPE_TASK_BINARY       ? "binary"
          : task == MLPIPE_TASK_MULTICLASS ? "multiclass"
                                           : "regression",
          (unsigned long)ncol);
  types = (int*)malloc(ncol * sizeof *types);
  pos = (size_t*)malloc(ncol * sizeof *pos);
  for (i = 0; i < ncol; ++i) {
    const char* name;
    size_t cats = 0;
    mlpipe_model_column(model, i, &name, &types[i]);
    mlpipe_model_column_num_categories(model, i, &cats);
    fprintf(stderr, "  %s: %s", name, type_name(types[i]));
    if (cats > 0) fprintf(stderr, " (%lu categories)", (unsigned long)cats);
    fprintf(stderr, "\n");
  }

  in = fopen(argv[2], "r");
  if (in == NULL || fgets(line, sizeof line, in) == NULL) {
    fprintf(stderr, "error: cannot read %s\n", argv[2]);
    goto done;
  }
  chomp(line);
  nheader = split_csv(line, fields, 1024);
  header = (char**)malloc(nheader * sizeof *header);
  for (i = 0; i < nheader; ++i) header[i] = strdup(fields[i]);
  for (i = 0; i < ncol; ++i) {
    const char* name;
    mlpipe_model_column(model, i, &name, NULL);
    for (j = 0; j < nheader && strcmp(header[j], name) != 0; ++j) {
    }
    if (j == nheader) {
      fprintf(stderr, "error: %s has no column '%s'\n", argv[2], name);
      fclose(in);
      goto done;
    }
    pos[i] = j;
  }

  /* Every data line into the two matrices. */
  while (fgets(line, sizeof line, in) != NULL) {
    size_t a = 0, b = 0;
    chomp(line);
    nfields = split_csv(line, fields, 1024);
    if (rows == cap) {
      cap = cap ? cap * 2 : 1024;
      numeric = (double*)realloc(numeric, cap * (nn ? nn : 1) * sizeof *numeric);
      text = (char**)realloc(text, cap * (nc ? nc : 1) * sizeof *text);
    }
    for (i = 0; i < ncol; ++i) {
      const char* v = pos[i] < nfields ? fields[pos[i]] : "";
      if (types[i] == MLPIPE_TYPE_CATEGORICAL || types[i] == MLPIPE_TYPE_STRING) {
        text[rows * nc + a++] = *v ? strdup(v) : NULL;
      } else if (types[i] == MLPIPE_TYPE_BOOL && *v) {
        numeric[rows * nn + b++] = (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) ? 1.0 : 0.0;
      } else {
        numeric[rows * nn + b++] = *v ? strtod(v, NULL) : NAN;
      }
    }
    ++rows;
  }
  fclose(in);

  {
    const int reg = task == MLPIPE_TASK_REGRESSION;
    const size_t width = reg ? 1 : k;
    categorical = (const char**)text;
    labels = (int*)malloc((rows ? rows : 1) * sizeof *labels);
    out = (double*)malloc((rows ? rows : 1) * width * sizeof *out);
    if (mlpipe_predict_matrix(model, rows, numeric, nn, categorical, nc, reg ? NULL : labels,
                              reg ? 0 : rows, reg ? NULL : out, reg ? 0 : rows * width,
                              reg ? out : NULL, reg ? rows : 0) != MLPIPE_OK) {
      rc = fail("predict");
      goto done;
    }
    /* The prediction CSV of `mlpipe predict`. */
    printf("row");
    if (reg) {
      printf(",prediction");
    } else {
      printf(",predicted");
      if (task == MLPIPE_TASK_BINARY) printf(",score");
      for (j = 0; j < k; ++j) {
        const char* c;
        mlpipe_model_class_name(model, j, &c);
        printf(",prob_%s", c);
      }
    }
    printf("\n");
    for (i = 0; i < rows; ++i) {
      printf("%lu", (unsigned long)i);
      if (reg) {
        printf(",%.17g\n", out[i]);
        continue;
      }
      {
        const char* c;
        mlpipe_model_class_name(model, (size_t)labels[i], &c);
        printf(",%s", c);
      }
      if (task == MLPIPE_TASK_BINARY) printf(",%.17g", out[i * 2 + 1]);
      for (j = 0; j < k; ++j) printf(",%.17g", out[i * k + j]);
      printf("\n");
    }
  }
  rc = 0;

done:
  if (text != NULL) {
    for (i = 0; i < rows * nc; ++i) free(text[i]);
  }
  for (i = 0; i < nheader; ++i) free(header[i]);
  free(header);
  free(text);
  free(numeric);
  free(labels);
  free(out);
  free(pos);
  free(types);
  mlpipe_model_free(model);
  return rc;
}
