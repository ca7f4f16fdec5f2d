#include "write/write.h"
int gz_pdf_render(gz_digest *d, const gz_write_options *w, gz_job *job) { (void)d; (void)w; return gz_error_set(&job->err, GZ_ERR_INTERNAL, "", 0, 0, "PDF not yet"); }
