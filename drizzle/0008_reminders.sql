ALTER TABLE `todo` ADD `reminder_queued_for` datetime;--> statement-breakpoint
ALTER TABLE `todo` ADD `reminder_sent_for` datetime;--> statement-breakpoint
ALTER TABLE `user` ADD `summary_hour` tinyint;--> statement-breakpoint
ALTER TABLE `user` ADD `summary_sent_on` date;--> statement-breakpoint
CREATE INDEX `todo_remind_at_idx` ON `todo` (`remind_at`);