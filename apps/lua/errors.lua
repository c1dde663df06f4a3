-- Errors: pcall/error/xpcall/assert, error objects and levels, errors in
-- metamethods, coroutines and deep recursion. Lua raises errors with
-- longjmp (the engine's setjmp/longjmp support).
print(pcall(error, "boom"))
print(pcall(function() local x = nil; return x.field end))
print(select("#", pcall(error)))
print(xpcall(function() error({code = 7}) end, function(e) return e.code end))
local ok, msg = pcall(assert, false, "assertion message")
print(ok, msg)
print(pcall(string.rep))
local co = coroutine.create(function() error("inside coroutine") end)
print(coroutine.resume(co))
-- Levels: the position is the caller's with level 2, none with level 0.
local function lvl(n) error("at level " .. n, n) end
print(pcall(lvl, 1))
print(pcall(lvl, 2))
print(pcall(lvl, 0))
-- Nested pcall: the inner error is caught inside, the outer one outside.
print(pcall(function()
  local a, b = pcall(error, "inner")
  print("inner caught", a, b)
  error("outer")
end))
-- An error while handling an error.
print(xpcall(function() error("first") end, function(m) error("in handler") end))
-- Errors raised by metamethods and by the runtime.
local mt = {__index = function(t, k) error("no field " .. k) end,
            __add = function() error("cannot add") end}
local obj = setmetatable({}, mt)
print(pcall(function() return obj.missing end))
print(pcall(function() return obj + 1 end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #nil end))
print(pcall(string.format, "%d", "x"))
-- Deep recursion ends in a caught "stack overflow", not a crash.
local function deep(n) return 1 + deep(n + 1) end
local okd, md = pcall(deep, 1)
print(okd, (tostring(md):gsub("^.-:%d+: ", "")):sub(1, 14))
-- Many errors in a loop (the jump buffers and the shadow stack stay sound).
local caught = 0
for i = 1, 20000 do
  if not pcall(error, i) then caught = caught + 1 end
end
print("caught", caught)
-- tostring of error objects, error with non-string values.
print(pcall(error, 42))
print(pcall(error, nil))
print(select(2, pcall(error, setmetatable({}, {__tostring = function() return "custom" end}))))
-- Errors across coroutine boundaries and after yields.
local c2 = coroutine.wrap(function()
  coroutine.yield(1)
  error("after yield")
end)
print(c2())
print(pcall(c2))
-- close variables run on error (Lua 5.4 to-be-closed).
do
  local okc, mc = pcall(function()
    local h <close> = setmetatable({}, {__close = function() print("closed") end})
    error("with close")
  end)
  print(okc, mc)
end
print("after errors")
