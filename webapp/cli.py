"""Command-line tasks: `flask seed-demo`, `flask create-admin`, `flask outbox send`…"""

from __future__ import annotations

import click
from flask import current_app

from webapp.extensions import db


def register_cli(app) -> None:
    @app.cli.command("seed-demo")
    @click.option("--large", is_flag=True, help="Также большой набор для замеров: 50 000 педагогов, 2 000 ОО, 5 000 мероприятий.")
    def seed_demo_command(large: bool) -> None:
        """Load the demo network (idempotent: a second run keeps the data)."""
        from webapp.demo.seed import seed_demo, seed_large

        loaded = seed_demo()
        db.session.commit()
        click.echo("Демо-данные загружены." if loaded else "Демо-данные уже есть — ничего не изменено.")
        if large:
            counts = seed_large()
            db.session.commit()
            click.echo(f"Большой набор загружен: {counts}")

    reminders = click.Group("reminders", help="Напоминания участникам.")

    @reminders.command("send")
    def send_reminders_command() -> None:
        """Queue the day-before reminders (idempotent: run twice, send once), then send the outbox."""
        from webapp.registration.services import send_reminders

        count = send_reminders()
        db.session.commit()
        click.echo(f"Напоминаний поставлено в очередь: {count}. Отправка: flask outbox send")

    app.cli.add_command(reminders)

    @app.cli.command("seed-taxonomies")
    def seed_taxonomies_command() -> None:
        """Create the initial directions, forms, audiences and competence areas."""
        from webapp.demo.seed import seed_taxonomies

        seed_taxonomies()
        db.session.commit()
        click.echo("Справочники заполнены.")

    @app.cli.command("create-admin")
    @click.option("--email", prompt="Электронная почта")
    @click.option("--last-name", prompt="Фамилия")
    @click.option("--first-name", prompt="Имя")
    @click.option("--middle-name", default="", prompt="Отчество", show_default=False)
    @click.password_option("--password", prompt="Пароль", confirmation_prompt="Пароль ещё раз")
    def create_admin_command(email, last_name, first_name, middle_name, password) -> None:
        """Create a network administrator, or make an existing user one."""
        from webapp.accounts.services import create_admin

        if len(password) < 8:
            raise click.BadParameter("Пароль — не меньше 8 символов.", param_hint="--password")
        user = create_admin(email, password, last_name, first_name, middle_name)
        db.session.commit()
        click.echo(f"Администратор сети: {user.email}")

    outbox = click.Group("outbox", help="The e-mail outbox.")

    @outbox.command("send")
    @click.option("--limit", default=500, show_default=True)
    def outbox_send(limit: int) -> None:
        """Send queued e-mail (SMTP from config; without MAIL_SERVER, to the log)."""
        from webapp.mail.services import send_pending

        sent, failed = send_pending(limit)
        click.echo(f"Отправлено: {sent}, ошибок: {failed}")
        if failed:
            current_app.logger.warning("%s messages failed and stay queued", failed)

    app.cli.add_command(outbox)

    checklists = click.Group("checklists", help="Feedback check-lists.")

    @checklists.command("install-starters")
    def checklists_install_starters() -> None:
        """Create the starter check-list templates that are missing (idempotent)."""
        from webapp.checklists.building import install_starters

        created = install_starters()
        db.session.commit()
        click.echo(f"Установлено шаблонов: {len(created)}. Это заготовки: адаптируйте их под свою сеть.")


    @checklists.command("remind")
    def checklists_remind() -> None:
        """Open the check-lists that came due, announce them and remind before they close (idempotent)."""
        from webapp.checklists.notify import remind

        made, told, reminded = remind()
        db.session.commit()
        click.echo(f"Новых приглашений: {made}; писем о новых чек-листах: {told}; напоминаний: {reminded}. "
                   "Отправка: flask outbox send")

    app.cli.add_command(checklists)
