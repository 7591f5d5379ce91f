#include "cli_errors.h"

#include <cstdio>
#include <string>
#include <vector>

#include "mlpipe/core/exit_code.h"
#include "mlpipe/core/suggest.h"

namespace mlpipe::cli {
namespace {

// The subcommand the arguments got to: the deepest one parsed.
CLI::App* DeepestParsed(CLI::App* app) {
  for (;;) {
    std::vector<CLI::App*> subs = app->get_subcommands();
    if (subs.empty()) return app;
    app = subs.front();
  }
}

// "mlpipe data profile".
std::string CommandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p != nullptr; p = p->get_parent()) {
    path = p->get_name() + " " + path;
  }
  return path;
}

// Every option `app` accepts, its parents' included (they fall through).
std::vector<std::string> OptionNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::App* a = app; a != nullptr; a = a->get_parent()) {
    for (const CLI::Option* o : a->get_options()) {
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
      for (const auto& s : o->get_snames()) names.push_back("-" + s);
    }
  }
  return names;
}

std::vector<std::string> SubcommandNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::App* s : app->get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(s->get_name());
  }
  return names;
}

// The message for an argument nobody took, or "" when it is none of the
// cases below (a surplus positional value).
std::string UnknownArgument(const CLI::App* at, const std::string& arg) {
  if (arg.size() > 1 && arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9')) {
    const std::string name = arg.substr(0, arg.find('='));
    return "unknown option '" + name + "' for '" + CommandPath(at) + "'" +
           core::DidYouMean(name, OptionNames(at));
  }
  std::vector<std::string> subs = SubcommandNames(at);
  if (subs.empty()) return "";
  std::string list;
  for (const auto& s : subs) list += (list.empty() ? "" : ", ") + s;
  return "unknown command '" + arg + "' for '" + CommandPath(at) + "'" +
         core::DidYouMean(arg, subs) + "; commands: " + list;
}

}  // namespace

int ReportParseError(CLI::App& app, const CLI::ParseError& e) {
  CLI::App* at = DeepestParsed(&app);
  std::string message;
  for (const std::string& arg : app.remaining(true)) {
    message = UnknownArgument(at, arg);
    if (!message.empty()) break;
  }
  if (message.empty()) message = e.what();
  std::fprintf(stderr, "error: %s\nRun '%s --help' for more information.\n", message.c_str(),
               CommandPath(at).c_str());
  return core::kExitBadInput;
}

}  // namespace mlpipe::cli
