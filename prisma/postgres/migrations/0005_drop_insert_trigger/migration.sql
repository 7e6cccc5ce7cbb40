-- Nothing to change on PostgreSQL: 0004's triggers there are statement-level (one UPDATE per
-- INSERT statement), so the insert trigger stays. SQLite drops its row-level insert trigger.
SELECT 1;
