-- Tables: arrays, hashes, sort, insert/remove, metatables, GC.
local t = {}
for i = 1, 100 do t[i] = i * i end
print(#t, t[1], t[50], t[100])
table.insert(t, 1, 0)
table.remove(t)
print(#t, t[1], t[#t])
local words = {"pear", "apple", "fig", "banana", "cherry", "date"}
table.sort(words)
print(table.concat(words, ","))
table.sort(words, function(a, b) return #a < #b or (#a == #b and a < b) end)
print(table.concat(words, ","))
local nums = {}
for i = 1, 1000 do nums[i] = (i * 7919) % 1009 end
table.sort(nums)
print(nums[1], nums[500], nums[1000])
local h = {}
for i = 1, 10000 do h["k" .. i] = i end
local sum, count = 0, 0
for k, v in pairs(h) do sum = sum + v; count = count + 1 end
print(count, sum)
h.k5 = nil
print(h.k5, h.k6, rawlen({1, 2, 3}))
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, V) end
V.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__len = function() return 2 end
local a = setmetatable({x = 1, y = 2}, V)
local b = setmetatable({x = 3, y = 4}, V)
print(tostring(a + b), a == setmetatable({x = 1, y = 2}, V), #a)
local proxy = setmetatable({}, {__index = function(_, k) return k .. "!" end,
  __newindex = function(t2, k, v) rawset(t2, k, v * 2) end})
proxy.z = 21
print(proxy.hello, proxy.z)
print(table.unpack(table.move({1, 2, 3, 4}, 2, 4, 1)))
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print("weak entries after gc", n)
local big = {}
for i = 1, 200000 do big[i] = {i} end
print(#big, big[200000][1], collectgarbage("count") > 0)
big = nil
collectgarbage()
print(next({}), type(next), select(2, "a", "b", "c"))
