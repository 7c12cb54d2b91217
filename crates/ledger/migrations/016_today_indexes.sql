-- Today and the first screen at 100,000 customers from a cold disk (issue
-- 22): their lists and counts read the whole customers table (7.4 s to the
-- first paint). Each list now runs on a small covering index of the rows it
-- asks about and reads names only for the rows it shows (`views::today`).
-- The indexes are partial, so each holds only its own rows, and they carry
-- the columns of their own condition: a partial index whose query reads a
-- column it does not hold visits the table for every row.

-- Graded, living customers: who is overdue (the grade, the stage by status,
-- and the registration day when there is no contact yet).
CREATE INDEX customers_graded ON customers(status_id, grade, created_at, deleted_at, deceased)
    WHERE grade IS NOT NULL AND deleted_at IS NULL AND deceased = 0;

-- Inquiries without a grade, newest first.
CREATE INDEX customers_ungraded ON customers(status_id, created_at, grade, deleted_at)
    WHERE grade IS NULL AND deleted_at IS NULL;

-- The count by status (the sidebar, the stats): the old index made the count
-- read every customer's row for its deleted_at.
DROP INDEX customers_status;
CREATE INDEX customers_status ON customers(status_id, deleted_at) WHERE deleted_at IS NULL;

-- Birthdays by month.
CREATE INDEX customers_birth_month ON customers(substr(birthday, 6, 2), birthday, deleted_at, deceased)
    WHERE deleted_at IS NULL AND deceased = 0;
CREATE INDEX household_members_birth_month ON household_members(substr(birthday, 6, 2));

-- The few customers no list names (the trash, the deceased), and the
-- trash's count.
CREATE INDEX customers_trashed ON customers(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX customers_gone ON customers(id) WHERE deleted_at IS NOT NULL OR deceased = 1;

-- Open tasks by kind in the order Today lists them (due date, then id),
-- with what the list shows: counted and listed without the table.
DROP INDEX tasks_open;
CREATE INDEX tasks_open ON tasks(kind, due_on, customer_id, title, project_id, done_at)
    WHERE done_at IS NULL;
