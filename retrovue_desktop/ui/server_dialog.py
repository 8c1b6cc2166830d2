"""Add or edit a Plex server: the connection is tested off the UI thread before saving."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.plex.servers import ServerSummary, add_server

from .context import AppContext
from .jobs import CancelFn, Job, ProgressFn
from .style import ERROR, muted, set_tone


class ServerDialog(QDialog):
    """Name, address and token; "Connect and save" tests them in a job, then saves."""

    def __init__(
        self,
        context: AppContext,
        server: ServerSummary | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.editing = server
        self.saved: ServerSummary | None = None
        self.setWindowTitle("Edit Plex server" if server else "Add Plex server")
        self.setMinimumWidth(480)
        self.name = QLineEdit(server.name if server else "")
        self.name.setPlaceholderText("e.g. Den")
        self.url = QLineEdit(server.base_url or "" if server else "")
        self.url.setPlaceholderText("http://192.168.1.10:32400")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(
            "leave empty to keep the saved token" if server else "your X-Plex-Token"
        )
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Address:", self.url)
        form.addRow("&Token:", self.token)
        help_text = QLabel(
            "The token stays in your system keyring (or a private file), never in the"
            " database. Find it in Plex Web: an item's ⋯ → Get Info → View XML, the"
            " X-Plex-Token in the address."
        )
        help_text.setWordWrap(True)
        muted(help_text)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Connect and save")
        self.buttons.accepted.connect(self.connect_and_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._job: Job | None = None

    def connect_and_save(self) -> None:
        name, url, token = self.name.text(), self.url.text(), self.token.text().strip()
        if not token and self.editing and self.editing.machine_identifier:
            token = self.context.tokens.get(self.editing.machine_identifier) or ""
        if not name.strip() or not url.strip() or not token:
            self.show_error("Fill in the name, the address and the token.")
            return
        context = self.context

        def work(_progress: ProgressFn, _cancelled: CancelFn) -> ServerSummary:
            return add_server(context.sessions, name, url, token, context.tokens)

        self._job = Job("Connecting to Plex", work, self)
        self._job.succeeded.connect(self._saved)
        self._job.failed.connect(self.show_error)
        self._job.finished.connect(lambda: self._busy(False))
        self._busy(True)
        set_tone(self.status, None)
        self.status.setText(f"Connecting to {url.strip()}…")
        self._job.start()

    def show_error(self, message: str) -> None:
        set_tone(self.status, ERROR)
        self.status.setText(message)

    def _saved(self, summary: object) -> None:
        assert isinstance(summary, ServerSummary)
        self.saved = summary
        self.accept()

    def _busy(self, busy: bool) -> None:
        for widget in (self.name, self.url, self.token):
            widget.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def reject(self) -> None:
        if self._job is not None and self._job.is_running():
            return  # the connection test ends on its own timeout; nothing is saved yet
        super().reject()
