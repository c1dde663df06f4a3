-- Strings: formatting, patterns, byte/char, utf8, rep/sub/reverse.
print(string.format("%d %5.2f %s %q %x %g", 42, math.pi, "str", "quote\"d\n", 255, 1e300))
print(("hello world"):upper(), ("MiXeD"):lower(), #"length")
print(("abcdef"):sub(2, 4), ("abc"):rep(3, "-"), ("stressed"):reverse())
print(string.find("the quick brown fox", "quick"), string.find("a.b", ".", 1, true))
print(string.match("key = value", "(%w+)%s*=%s*(%w+)"))
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(k, ":", v, " ") end
print()
print(string.gsub("hello world", "o", "0"), string.gsub("abc", "%w", "%0%0"))
print(string.gsub("$name is $age", "%$(%w+)", {name = "lua", age = 30}))
print(string.byte("ABC", 1, 3), string.char(72, 105))
print(utf8.char(72, 228, 8364, 128512), utf8.len("häll€"), #utf8.char(8364))
for p, c in utf8.codes("aé€") do io.write(p, "=", c, " ") end
print()
print(tostring(12345678901234), tostring(1/3), tostring(-0.0), 2^53, 10 // 3, 10 % -3, 7 / 2)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)
print(tonumber("0x1F"), tonumber("  12  "), tonumber("1e2"), tonumber("z", 36), tonumber("nope"))
print(string.pack and #string.pack("i4i8d", 1, 2, 3.0), string.unpack("<i4", "\1\0\0\0"))
local parts = {}
for w in ("one two  three"):gmatch("%S+") do parts[#parts + 1] = w end
print(table.concat(parts, "|"), select("#", table.unpack(parts)))
print(("%s=%d"):format("x", 7), ("CSV,,fields"):find(",,"), ("trim  "):match("^(.-)%s*$") .. "|")
