#include "http_parse.h"

#include <boost/asio/buffer.hpp>

namespace mlpipe::serve {

namespace beast = boost::beast;
namespace http = beast::http;

namespace internal {

HttpRequest RequestFromMessage(http::request<http::string_body>& msg) {
  HttpRequest req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(f.value());
  }
  req.body = std::move(msg.body());
  return req;
}

}  // namespace internal

Result<HttpRequest> ParseHttpRequest(std::string_view raw, size_t body_limit) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  parser.eager(true);
  beast::error_code ec;
  size_t used = 0;
  while (used < raw.size() && !parser.is_done()) {
    size_t n = parser.put(boost::asio::buffer(raw.data() + used, raw.size() - used), ec);
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec == http::error::body_limit) {
      return OutOfRangeError("request body exceeds the limit of " + std::to_string(body_limit) +
                             " bytes");
    }
    if (ec) return InvalidArgumentError("malformed HTTP request: " + ec.message());
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) {
    if (parser.is_header_done()) parser.put_eof(ec);
    if (!parser.is_done() || ec) {
      return InvalidArgumentError("malformed HTTP request: the request is incomplete");
    }
  }
  return internal::RequestFromMessage(parser.get());
}

}  // namespace mlpipe::serve
