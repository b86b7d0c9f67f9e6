"""Error pages (and fragments for htmx), in Russian, never a stack trace."""

from __future__ import annotations

from flask import g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.extensions import db
from webapp.htmx import is_fragment_request


class RuleError(Exception):
    """A business rule said no; `message` is for the person, `status` for the HTTP answer. The
    features' errors (RegistrationError, AttendanceError, CertificateError) are its kinds."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


MESSAGES = {
    400: ("Неверный запрос", "Запрос не удалось разобрать. Проверьте введённые данные."),
    403: ("Доступ запрещён", "У вас нет прав на это действие. Если это ошибка, обратитесь к администратору сети."),
    404: ("Страница не найдена", "Такой страницы нет: возможно, ссылка устарела или в ней опечатка."),
    405: ("Метод не поддерживается", "Это действие так выполнить нельзя."),
    413: ("Файл слишком большой", "Файл превышает допустимый размер. Уменьшите его или загрузите ссылкой."),
    422: ("Проверьте данные", "Некоторые поля заполнены неверно."),
    429: ("Слишком много попыток", "Подождите минуту и попробуйте снова."),
    500: ("Внутренняя ошибка", "Что-то пошло не так. Мы уже знаем об этом; попробуйте позже."),
}


def render_error(code: int, detail: str | None = None):
    g.pop("same_for_everyone", None)  # the error page shows who is logged in (webapp/vary.py)
    title, text = MESSAGES.get(code, (f"Ошибка {code}", "Запрос не выполнен."))
    template = "errors/_error.html" if is_fragment_request() else "errors/error.html"
    return render_template(template, code=code, title=title, text=detail or text), code


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "Форма устарела или отправлена с другого сайта. Обновите страницу и повторите.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        detail = error.description if code in (403, 404) and getattr(error, "ru", False) else None
        return render_error(code, detail)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(500)
