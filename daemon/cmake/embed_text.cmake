# Writes OUTPUT, a C++ source whose function FUNCTION (declared in HEADER, in namespace
# NAMESPACE) returns the bytes of INPUT as a std::string_view. Run at build time through
# add_custom_command (cmake -P), so editing INPUT rebuilds what embeds it.
#   cmake -DINPUT=... -DOUTPUT=... -DHEADER=... -DNAMESPACE=... -DFUNCTION=... -P embed_text.cmake
foreach(argument INPUT OUTPUT HEADER NAMESPACE FUNCTION)
  if(NOT DEFINED ${argument})
    message(FATAL_ERROR "embed_text.cmake: -D${argument}=... is required")
  endif()
endforeach()

file(READ "${INPUT}" text)
set(delimiter "embedded")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "embed_text.cmake: ${INPUT} contains the raw string's end, )${delimiter}\"")
endif()

file(WRITE "${OUTPUT}.new"
  "// Generated at build time from ${INPUT} by daemon/cmake/embed_text.cmake; do not edit.\n"
  "#include \"${HEADER}\"\n\n"
  "namespace ${NAMESPACE} {\n\n"
  "std::string_view ${FUNCTION}() {\n"
  "  static constexpr char kText[] = R\"${delimiter}(${text})${delimiter}\";\n"
  "  return {kText, sizeof(kText) - 1};\n"
  "}\n\n"
  "}  // namespace ${NAMESPACE}\n")
# Only a changed source is recompiled.
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.new")
