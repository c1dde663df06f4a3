-- Coroutines: generators, passing values, status, wrap, yield across loops.
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local s = 0
for v in gen(100) do s = s + v end
print("sum", s)
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", d + e
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co), coroutine.resume(co))
print(coroutine.isyieldable(), select(2, coroutine.running()))
-- Producer/consumer pipeline.
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({"alpha", "beta", "gamma"}) do coroutine.yield(w) end
  end)
end
local function filter(src)
  return coroutine.create(function()
    while true do
      local ok, v = coroutine.resume(src)
      if not v then break end
      coroutine.yield(v:upper())
    end
  end)
end
local f = filter(producer())
while true do
  local _, v = coroutine.resume(f)
  if not v then break end
  io.write(v, " ")
end
print()
-- Many coroutines alive at once.
local cos = {}
for i = 1, 500 do
  cos[i] = coroutine.create(function(x) while true do x = coroutine.yield(x + i) end end)
end
local total = 0
for round = 1, 3 do
  for i = 1, 500 do
    local _, v = coroutine.resume(cos[i], round)
    total = total + v
  end
end
print("total", total)
