"""The acting shell of nianbao: Telegram handlers, web server, scheduler and the command line."""
