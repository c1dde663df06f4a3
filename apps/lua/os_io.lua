-- os and io: files (write, read modes, seek, lines), rename/remove,
-- tmpname, getenv, clock/time/date arithmetic. Runs in an empty directory.
local f = assert(io.open("test.txt", "w"))
for i = 1, 50 do f:write("line ", i, "\n") end
f:write(string.rep("x", 10000), "\n")
print(f:seek("cur"), f:seek("set", 5), f:seek("end"))
f:close()
f = assert(io.open("test.txt", "r"))
print(f:read("l"), f:read("n"), f:read("l"))
local count = 1
for _ in f:lines() do count = count + 1 end
print("lines", count)
f:close()
local n = 0
for l in io.lines("test.txt") do n = n + #l end
print("chars", n)
f = assert(io.open("test.txt", "a+"))
f:write("appended\n")
f:seek("set")
print(#f:read("a"))
f:close()
print(io.open("does-not-exist.txt"))
print(os.rename("test.txt", "renamed.txt"), io.type(io.stdout), io.type(42))
print(os.remove("renamed.txt"), select(2, os.remove("renamed.txt")) ~= nil)
print(os.getenv("LUA_TEST_VAR"), os.getenv("SURELY_NOT_SET"))
local t0 = os.time()
print(type(t0), os.time() >= t0, os.clock() >= 0)
print(os.time({year = 2020, month = 1, day = 1, hour = 12}) - os.time({year = 2019, month = 12, day = 31, hour = 12}))
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
local d = os.date("!*t", 1000000000)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday)
print(os.difftime(10, 4))
io.write("no newline", " then ", 42, "\n")
io.stdout:write(string.format("%08.3f\n", 3.14159))
local out = io.output()
print(out == io.stdout)
io.stderr:write("stderr is separate\n")
