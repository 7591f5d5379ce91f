// The one conversion from a parsed Beast message to an HttpRequest, shared by
// the server's connections and ParseHttpRequest (http_server.h). Private to
// serve: Beast stays out of the public headers.
#pragma once

#include <boost/beast/http.hpp>

#include "mlpipe/serve/http_server.h"

namespace mlpipe::serve::internal {

// Method, target split into path and query, headers with lower-case names,
// body (moved out of `msg`).
HttpRequest RequestFromMessage(boost::beast::http::request<boost::beast::http::string_body>& msg);

}  // namespace mlpipe::serve::internal
