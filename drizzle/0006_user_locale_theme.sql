ALTER TABLE `user` ADD `locale` varchar(8);--> statement-breakpoint
ALTER TABLE `user` ADD `theme` varchar(8) DEFAULT 'system' NOT NULL;