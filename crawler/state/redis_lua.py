"""The Lua scripts of the Redis state: upserts that must see the stored row.

SQLite merges a new row into an old one in ``INSERT ... ON CONFLICT DO UPDATE``; Redis has
no such command, so the merge runs on the server, in a script. Queued in the merge's
MULTI/EXEC, each script then sees the writes queued before it, exactly like statements in
one SQLite transaction (a read from Python inside the block would not). Rows are msgpack
maps (``cmsgpack`` on the server, msgspec in Python); a nil field is an absent key.
"""

from __future__ import annotations

# KEYS[1] the entries hash; ARGV[1] msgpack list of [id, content_hash, revision, url, source,
# entry_fp]; ARGV[2] now. Mirrors StateStore.mark_seen: url, source and first_seen stay from
# the first sighting, entry_fp is coalesced, the rest follows the new row.
MARK_SEEN = """
local now = ARGV[2]
for _, r in ipairs(cmsgpack.unpack(ARGV[1])) do
  local old = redis.call('HGET', KEYS[1], r[1])
  local e
  if old then e = cmsgpack.unpack(old) else e = {url = r[4], source = r[5], first = now} end
  e.hash = r[2]
  e.rev = r[3]
  e.last = now
  if r[6] then e.fp = r[6] end
  redis.call('HSET', KEYS[1], r[1], cmsgpack.pack(e))
end
return 0
"""

# KEYS[1] the feeds hash; ARGV[1] msgpack list of polls (maps, see redis_values.poll_arg);
# ARGV[2] now. Mirrors the CASE expressions of StateStore._record_poll: a new feed takes the
# poll as it is; a known one keeps its validators, skip hours and days on a 304 or a failure
# ("keep"), never re-enables validators once disabled, and leaves the error streak as it was
# on a deferred 429 ("deferred").
RECORD_POLLS = """
local now = ARGV[2]
for _, p in ipairs(cmsgpack.unpack(ARGV[1])) do
  local old = redis.call('HGET', KEYS[1], p.field)
  local f
  if not old then
    f = {source = p.source, etag = p.etag, lm = p.lm, body = p.body, status = p.status,
         fetch = now, streak = p.failed and 1 or 0, polls = 1, vd = p.lying,
         next = p.next, skip = p.skip, days = p.days, poll = p.poll}
  else
    f = cmsgpack.unpack(old)
    f.source = p.source
    f.status = p.status
    f.fetch = now
    f.polls = f.polls + 1
    f.next = p.next
    if not p.keep then
      f.etag = p.etag
      f.lm = p.lm
      f.skip = p.skip
      f.days = p.days
    end
    if p.poll then f.poll = p.poll end
    if p.body then f.body = p.body end
    if p.failed then f.streak = f.streak + 1 elseif not p.deferred then f.streak = 0 end
    f.vd = math.max(f.vd, p.lying)
  end
  redis.call('HSET', KEYS[1], p.field, cmsgpack.pack(f))
end
return 0
"""

# KEYS[1] the signatures hash, KEYS[2] its by-ts sorted set; ARGV[1] the bound (exclusive).
EVICT = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
for i = 1, #ids, 1000 do
  local part = {unpack(ids, i, math.min(i + 999, #ids))}
  redis.call('HDEL', KEYS[1], unpack(part))
  redis.call('ZREM', KEYS[2], unpack(part))
end
return #ids
"""

# KEYS[1] the meta hash, KEYS[2] the feeds hash; ARGV[1] the layout to raise the namespace to.
# Layouts 1 and 2 keyed a feed by its URL alone; layout 3 by "<source> <URL>" (a URL holds no
# space, so no old field looks like a new one). The rename and the version move in one
# script, so workers that open an old namespace at once migrate it once.
MIGRATE_FEEDS = """
if tonumber(redis.call('HGET', KEYS[1], 'schema_version') or '0') >= tonumber(ARGV[1]) then
  return 0
end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local f = cmsgpack.unpack(all[i + 1])
  redis.call('HDEL', KEYS[2], all[i])
  redis.call('HSET', KEYS[2], (f.source or '') .. ' ' .. all[i], all[i + 1])
end
redis.call('HSET', KEYS[1], 'schema_version', ARGV[1])
return #all / 2
"""
