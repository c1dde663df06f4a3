-- Errors: pcall/error/xpcall/assert. Lua raises errors with longjmp, so
-- this script needs an engine that implements WALI setjmp/longjmp (a known
-- gap: until then the WALI run aborts at the first error).
print(pcall(error, "boom"))
print(pcall(function() local x = nil; return x.field end))
print(select("#", pcall(error)))
print(xpcall(function() error({code = 7}) end, function(e) return e.code end))
local ok, msg = pcall(assert, false, "assertion message")
print(ok, msg)
print(pcall(string.rep))
local co = coroutine.create(function() error("inside coroutine") end)
print(coroutine.resume(co))
print("after errors")
