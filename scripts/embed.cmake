# Turns a text file into a C string: cmake -DIN=file -DOUT=file.c -DSYMBOL=name -P embed.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "/* generated from ${IN} by scripts/embed.cmake */\n#include <stddef.h>\n"
  "const char ${SYMBOL}[] = {${body} 0x00};\nconst size_t ${SYMBOL}_len = ${len};\n")
