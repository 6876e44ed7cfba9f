#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Scripted checks of the trtc-battle command-line tool: outputs, exit codes, and that the
secret key never appears in anything it prints.
Usage: test_cli.py PATH/TO/trtc-battle"""
import asyncio
import base64
import hashlib
import hmac
import json
import os
import queue
import re
import shlex
import signal
import socket
import struct
import subprocess
import ssl
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import zlib

CLI = None
KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
# The known-answer example: sdkappid 1400000000, identifier administrator, expire 86400,
# now 1700000000; made by Tencent's C++ library (zlib level 1).
KNOWN = ("eAGrVgrxCdYrSy1SslIy0jNQ0gHzi1OyEwsKMlOUrAxNDKAAIpOZkppXkpmWCdaQmJKbmZdZXFKUWJJfBNVakpmbC"
         "tRmjqottaIgswgobmEGNA9qR2Y60M5KH8dU7XLz8NDU0NLCpDDLDP2QCHOLUiPD-BD3TO1My6gCw1LjgIK8SDMDW6VaA"
         "GPkM5I_")
SIG = "yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60="
BASE = ["--sdkappid", "1400000000", "--identifier", "administrator"]


def run(args, key=KEY, env_extra=None):
    env = dict(os.environ)
    env.pop("TRTC_SECRET_KEY", None)
    if key is not None:
        env["TRTC_SECRET_KEY"] = key
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([CLI] + args, capture_output=True, text=True, env=env, timeout=60)
    for stream in (p.stdout, p.stderr):
        assert KEY not in stream, "the secret key leaked into the output of %s" % args
    return p


def private_map(version, account, sdkappid, room_id, expires_at, privileges, room_str=b""):
    """A PrivateMapKey userbuf in the official big-endian layout."""
    acc = account.encode()
    out = struct.pack(">BH", version, len(acc)) + acc
    out += struct.pack(">IIIII", sdkappid, room_id, expires_at, privileges, 0)
    if version == 1:
        out += struct.pack(">H", len(room_str)) + room_str
    return out


def forge(identifier, sdkappid, time, expire, userbuf, key=KEY):
    """A UserSig made here, independently of the CLI: signed text, HMAC-SHA256, JSON, zlib,
    base64 with Tencent's URL-safe substitutions."""
    ub = base64.b64encode(userbuf).decode()
    text = ("TLS.identifier:%s\nTLS.sdkappid:%d\nTLS.time:%d\nTLS.expire:%d\nTLS.userbuf:%s\n"
            % (identifier, sdkappid, time, expire, ub))
    mac = base64.b64encode(hmac.new(key.encode(), text.encode(), hashlib.sha256).digest())
    doc = {"TLS.ver": "2.0", "TLS.identifier": identifier, "TLS.sdkappid": sdkappid,
           "TLS.time": time, "TLS.expire": expire, "TLS.userbuf": ub, "TLS.sig": mac.decode()}
    raw = base64.b64encode(zlib.compress(json.dumps(doc).encode())).decode()
    return raw.replace("+", "*").replace("/", "-").replace("=", "_")


def listed_commands():
    """The commands `trtc-battle --help` lists."""
    out = run(["--help"]).stdout
    body = out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line[2:25].strip() for line in body.splitlines()]


def usage_line(cmd):
    """The usage line of `cmd --help`, its wrapped lines joined."""
    out = run(cmd.split() + ["--help"]).stdout
    return " ".join(out.split("\n\n", 1)[0].split())


def required_flags(line):
    """The options a usage line shows as required: outside [...]; of (a | b), the first."""
    outside, depth = "", 0
    for ch in line:
        depth += ch == "["
        if depth == 0:
            outside += ch
        depth -= ch == "]"
    flags = []
    for group in re.findall(r"\(([^)]*)\)", outside):
        flags.append(group.split(" | ")[0].split()[0])
    outside = re.sub(r"\([^)]*\)", "", outside)
    flags += [w for w in outside.split() if w.startswith("--")]
    return flags


class UserSig(unittest.TestCase):
    def test_known_answer_with_zlib(self):
        p = run(["usersig"] + BASE + ["--expire", "86400", "--now", "1700000000",
                                      "--compression", "zlib"])
        if p.returncode == 2 and "no zlib adapter" in p.stderr:
            self.skipTest("built without zlib")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), KNOWN)
        self.assertEqual(p.stdout.count("\n"), 1)  # only the sig

    def test_stored_decodes_to_the_same_document(self):
        p = run(["usersig"] + BASE + ["--expire", "86400", "--now", "1700000000"])
        self.assertEqual(p.returncode, 0, p.stderr)
        sig = p.stdout.strip()
        self.assertNotEqual(sig, KNOWN)
        mine = json.loads(run(["usersig-decode", sig]).stdout)
        theirs = json.loads(run(["usersig-decode", KNOWN]).stdout)
        self.assertEqual(mine, theirs)
        self.assertEqual(mine["TLS.sig"], SIG)
        self.assertEqual(mine["TLS.identifier"], "administrator")
        self.assertEqual(mine["expires_at"], 1700086400)

    def test_verify_verdicts_and_exit_codes(self):
        ok = run(["usersig-verify"] + BASE + ["--now", "1700086400", KNOWN])
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("valid", ok.stdout)
        cases = [
            (["--now", "1700086401"], "70001"),
            (["--sdkappid", "1400000001", "--identifier", "administrator",
              "--now", "1700000000"], "70014"),
            (["--sdkappid", "1400000000", "--identifier", "admin2",
              "--now", "1700000000"], "70013"),
        ]
        for extra, code in cases:
            args = ["usersig-verify"] + (BASE if "--sdkappid" not in extra else []) + extra
            p = run(args + [KNOWN])
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn(code, p.stdout)
        wrong_key = run(["usersig-verify"] + BASE + ["--now", "1700000000", KNOWN],
                        key="another-key")
        self.assertEqual(wrong_key.returncode, 1)
        self.assertIn("70009", wrong_key.stdout)
        garbage = run(["usersig-verify"] + BASE + ["--now", "1700000000", "not*a*sig"])
        self.assertEqual(garbage.returncode, 1)
        self.assertIn("70003", garbage.stdout)

    def test_private_map_key_round_trip(self):
        p = run(["private-map-key", "--sdkappid", "1400000000", "--identifier", "user1",
                 "--expire", "3600", "--room-str", "pk-room", "--privileges", "255",
                 "--now", "1700000000"])
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = json.loads(run(["usersig-decode", p.stdout.strip()]).stdout)
        pm = doc["private_map"]
        self.assertEqual(pm["room_str"], "pk-room")
        self.assertEqual(pm["version"], 1)
        self.assertEqual(pm["expires_at"], 1700003600)
        self.assertEqual(pm["privileges"], 255)
        self.assertEqual(pm["account"], "user1")
        n = run(["private-map-key", "--sdkappid", "1400000000", "--identifier", "user1",
                 "--expire", "3600", "--room-id", "1234", "--privileges", "3"])
        self.assertEqual(n.returncode, 0, n.stderr)
        self.assertEqual(json.loads(run(["usersig-decode", n.stdout.strip()]).stdout)
                         ["private_map"]["room_id"], 1234)

    def verify(self, sig, *extra, now="1700000100"):
        return run(["usersig-verify"] + BASE + ["--now", now] + list(extra) + [sig])

    def test_verify_a_usersig_with_a_userbuf(self):
        p = run(["usersig"] + BASE + ["--expire", "3600", "--now", "1700000000",
                                      "--userbuf-hex", "00ff10"])
        self.assertEqual(p.returncode, 0, p.stderr)
        sig = p.stdout.strip()
        ok = self.verify(sig, "--userbuf-hex", "00FF10")
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertTrue(ok.stdout.startswith("valid: "), ok.stdout)
        self.assertIn("userbuf of 3 bytes", ok.stdout)
        plain = self.verify(sig)  # a userbuf that was not asked for
        self.assertEqual(plain.returncode, 1)
        self.assertIn("70009", plain.stdout)
        self.assertIn("--userbuf-hex", plain.stdout)  # says how to check it
        other = self.verify(sig, "--userbuf-hex", "00ff11")
        self.assertEqual(other.returncode, 1)
        self.assertIn("70009", other.stdout)
        self.assertIn("00ff10, not the expected 00ff11", other.stdout)
        # The expectation does not excuse anything else.
        self.assertIn("70001", self.verify(sig, "--userbuf-hex", "00ff10",
                                           now="1700003601").stdout)
        wrong_key = run(["usersig-verify"] + BASE + ["--now", "1700000100", "--userbuf-hex",
                                                     "00ff10", sig], key="another-key")
        self.assertEqual(wrong_key.returncode, 1)
        self.assertIn("signature does not match", wrong_key.stdout)
        # A plain UserSig when a userbuf is expected.
        bare = run(["usersig"] + BASE + ["--expire", "3600", "--now", "1700000000"]).stdout.strip()
        no_buf = self.verify(bare, "--userbuf-hex", "00ff10")
        self.assertEqual(no_buf.returncode, 1)
        self.assertIn("carries no userbuf", no_buf.stdout)
        bad = run(["usersig-verify"] + BASE + ["--userbuf-hex", "0g", sig])
        self.assertEqual(bad.returncode, 2)
        self.assertIn('--userbuf-hex "0g" is not hexadecimal', bad.stderr)

    def test_verify_a_private_map_key(self):
        def make(*room):
            p = run(["private-map-key"] + BASE + ["--expire", "3600", "--now", "1700000000",
                                                  "--privileges", "255"] + list(room))
            self.assertEqual(p.returncode, 0, p.stderr)
            return p.stdout.strip()
        by_str, by_id = make("--room-str", "pk-room"), make("--room-id", "1234")
        ok = self.verify(by_str, "--room-str", "pk-room", "--privileges", "255")
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn('string room "pk-room", privileges 255, until 1700003600', ok.stdout)
        ok = self.verify(by_id, "--room-id", "1234", "--privileges", "255")
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn("numeric room 1234", ok.stdout)
        for sig, extra, fragment in [
                (by_str, ["--room-str", "pk-other", "--privileges", "255"],
                 'the string room "pk-room", not the string room "pk-other"'),
                (by_str, ["--room-id", "1234", "--privileges", "255"],
                 "not the numeric room 1234"),
                (by_id, ["--room-id", "1235", "--privileges", "255"],
                 "numeric room 1234, not the numeric room 1235"),
                (by_id, ["--room-id", "1234", "--privileges", "3"],
                 "grants privileges 255, not 3")]:
            p = self.verify(sig, *extra)
            self.assertEqual(p.returncode, 1, (extra, p.stdout))
            self.assertIn("invalid (70009)", p.stdout)
            self.assertIn(fragment, p.stdout)
        # A UserSig whose userbuf is no PrivateMapKey.
        odd = run(["usersig"] + BASE + ["--expire", "3600", "--now", "1700000000",
                                        "--userbuf-hex", "01"]).stdout.strip()
        p = self.verify(odd, "--room-id", "1", "--privileges", "1")
        self.assertEqual(p.returncode, 1)
        self.assertIn("not a PrivateMapKey", p.stdout)
        # Room and privileges go together; a userbuf and a room are alternatives.
        for extra, fragment in [(["--room-id", "1234"], "--privileges is required"),
                                (["--privileges", "255"], "--privileges applies only"),
                                (["--room-id", "1", "--room-str", "a", "--privileges", "1"],
                                 "give only one of"),
                                (["--userbuf-hex", "00", "--room-id", "1", "--privileges", "1"],
                                 "give only one of")]:
            p = self.verify(by_id, *extra)
            self.assertEqual(p.returncode, 2, extra)
            self.assertIn(fragment, p.stderr)

    def test_a_private_map_key_must_name_this_account_and_sdkappid(self):
        # Signed correctly, but its ticket names another account and SDKAppID.
        ticket = private_map(0, "someone-else", 1400000009, 1234, 1700003600, 255)
        sig = forge("administrator", 1400000000, 1700000000, 3600, ticket)
        p = self.verify(sig, "--room-id", "1234", "--privileges", "255")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn('is for account "someone-else", not "administrator"', p.stdout)
        self.assertIn("is for SDKAppID 1400000009, not 1400000000", p.stdout)
        # The forger itself is right: the same ticket with this account verifies.
        good = forge("administrator", 1400000000, 1700000000, 3600,
                     private_map(0, "administrator", 1400000000, 1234, 1700003600, 255))
        ok = self.verify(good, "--room-id", "1234", "--privileges", "255")
        self.assertEqual(ok.returncode, 0, ok.stdout)

    def test_key_from_file(self):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(KEY + "\n")
        try:
            p = run(["usersig"] + BASE + ["--expire", "86400", "--now", "1700000000",
                                          "--secret-key-file", f.name], key=None)
            self.assertEqual(p.returncode, 0, p.stderr)
            q = run(["usersig"] + BASE + ["--expire", "86400", "--now", "1700000000"])
            self.assertEqual(p.stdout, q.stdout)
        finally:
            os.unlink(f.name)


class KeyFile(unittest.TestCase):
    """A key file its group or others can read is used, with a warning as ssh gives."""

    def key_file(self, mode):
        d = tempfile.mkdtemp()
        self.addCleanup(lambda: (os.path.exists(path) and os.unlink(path), os.rmdir(d)))
        path = os.path.join(d, "key file.txt")
        with open(path, "w") as f:
            f.write(KEY + "\n")
        os.chmod(path, mode)
        return path

    def sign(self, path):
        return run(["usersig"] + BASE + ["--expire", "86400", "--now", "1700000000",
                                         "--secret-key-file", path], key=None)

    def test_modes(self):
        expected = run(["usersig"] + BASE + ["--expire", "86400", "--now", "1700000000"]).stdout
        for mode, who in [(0o644, "every user of this machine"), (0o604, "every user"),
                          (0o640, "its group"), (0o660, "its group"), (0o602, "every user")]:
            path = self.key_file(mode)
            p = self.sign(path)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout, expected)  # warned, not refused
            lines = p.stderr.splitlines()
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertIn("warning", lines[0])
            self.assertIn("'%s'" % path, lines[0])  # the file, quoted for the shell
            self.assertIn("mode %04o" % mode, lines[0])
            self.assertIn(who, lines[0])
            self.assertIn("chmod 600 '%s'" % path, lines[0])
        for mode in [0o600, 0o400]:
            p = self.sign(self.key_file(mode))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stderr, "")
        # A pipe has no permissions to fix: no warning.
        p = subprocess.run(["bash", "-c", '"$0" usersig --sdkappid 1400000000 --identifier '
                            'administrator --expire 9 --secret-key-file <(echo "$1")', CLI, KEY],
                           capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        self.assertNotIn(KEY, p.stdout)

    def test_the_warning_stays_on_stderr_with_json(self):
        p = run(["battle-info", "--json"] + BASE + ["--base-url", "http://127.0.0.1:9",
                                                    "--battle-id", "b", "--timeout-ms", "300",
                                                    "--secret-key-file", self.key_file(0o644)],
                key=None)
        self.assertEqual(p.returncode, 4, p.stdout + p.stderr)
        self.assertIn("mode 0644", p.stderr)
        self.assertEqual(json.loads(p.stdout)["ActionStatus"], "FAIL")
        self.assertEqual(len(p.stdout.splitlines()), 1)

    def test_an_unreadable_or_empty_key_file_names_the_file(self):
        missing = run(["usersig"] + BASE + ["--expire", "9", "--secret-key-file",
                                            "/nonexistent/k"], key=None)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("--secret-key-file /nonexistent/k cannot be read: No such file",
                      missing.stderr)
        empty = self.key_file(0o600)
        open(empty, "w").close()
        p = self.sign(empty)
        self.assertEqual(p.returncode, 2)
        self.assertIn("is empty", p.stderr)


class Prepare(unittest.TestCase):
    SVC = ["--sdkappid", "1400000000", "--identifier", "administrator"]

    def test_create_battle_prints_the_request_with_the_sig_redacted(self):
        p = run(["prepare", "create-battle"] + self.SVC + [
            "--region", "singapore", "--from", "pk-1", "--to", "pk-2,pk-3", "--to", "pk-4",
            "--duration-ms", "60000", "--extension", "x", "--random", "7", "--now", "1700000000"])
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0],
                         "POST https://adminapisgp.im.qcloud.com/v4/live_engine_http_pk/"
                         "create_battle?sdkappid=1400000000&identifier=administrator"
                         "&usersig=REDACTED&random=7&contenttype=json")
        self.assertIn("Content-Type: application/json", lines)
        self.assertTrue(any(l.startswith("User-Agent: trtc-battle/") for l in lines))
        body = json.loads(lines[-1])
        self.assertEqual(body, {"FromRoomId": "pk-1", "ToRoomIdList": ["pk-2", "pk-3", "pk-4"],
                                "Duration": 60000, "ExtensionInfo": "x"})
        # Not even the made-up sig appears: it is a credential.
        sig = run(["usersig"] + BASE + ["--expire", "86400", "--now", "1700000000"]).stdout
        self.assertNotIn(sig.strip()[:40], p.stdout)

    def test_every_violation_is_printed_and_nothing_prepared(self):
        p = run(["prepare", "create-battle"] + self.SVC + [
            "--base-url", "http://127.0.0.1:9", "--from", "pk-1", "--to", "pk-1,,pk-2,pk-2",
            "--duration-ms", "1000"], key=None)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, "")
        for fragment in ['ToRoomIdList[0]: "pk-1" is the same room as FromRoomId',
                         "ToRoomIdList[1]: must not be empty",
                         'ToRoomIdList[3]: "pk-2" is a duplicate of ToRoomIdList[2]']:
            self.assertIn(fragment, p.stderr)

    def test_battle_info_and_set_score(self):
        p = run(["prepare", "battle-info"] + self.SVC + ["--base-url", "http://127.0.0.1:8080",
                                                          "--battle-id", "b1"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("http://127.0.0.1:8080/v4/live_engine_http_pk/get_battle_info?", p.stdout)
        self.assertEqual(json.loads(p.stdout.splitlines()[-1]), {"BattleId": "b1"})
        s = run(["prepare", "set-score"] + self.SVC + ["--region", "usa", "--battle-id", "b1",
                                                        "--op", "overwrite",
                                                        "--score", "pk-1=5,pk-2=-1"])
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertEqual(json.loads(s.stdout.splitlines()[-1]),
                         {"BattleId": "b1", "OpType": 2,
                          "ScoreList": [{"RoomId": "pk-1", "Score": 5},
                                        {"RoomId": "pk-2", "Score": -1}]})
        bad = run(["prepare", "set-score"] + self.SVC + ["--region", "usa", "--battle-id", "b1",
                                                          "--op", "multiply", "--score", "a=1"])
        self.assertEqual(bad.returncode, 2)


class Emulator(unittest.TestCase):
    """trtc-battle serve, driven by trtc-battle create / battle-info / set-score."""

    def serve(self, *extra):
        env = dict(os.environ)
        env["TRTC_SECRET_KEY"] = KEY
        p = subprocess.Popen([CLI, "serve", "--port", "0", "--sdkappid", "1400000000",
                              "--identifier", "administrator"] + list(extra),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = p.stdout.readline().strip()
        self.assertTrue(line.startswith("listening on http://127.0.0.1:"), line)
        def stop():
            if p.poll() is None:
                p.kill()
            p.communicate()
        self.addCleanup(stop)
        return p, line.split()[-1]

    def call(self, url, *args, key=KEY):
        return run(list(args[:1]) + ["--sdkappid", "1400000000", "--identifier", "administrator",
                                     "--base-url", url] + list(args[1:]), key=key)

    def test_battles_end_to_end_and_a_clean_stop(self):
        p, url = self.serve()
        c = self.call(url, "create", "--from", "r1", "--to", "r2,r3", "--duration-ms", "60000",
                      "--json")
        self.assertEqual(c.returncode, 0, c.stderr)
        doc = json.loads(c.stdout)
        self.assertEqual(doc["ErrorCode"], 0)
        self.assertEqual([r["ResultCode"] for r in doc["Response"]["Result"]], [0, 0])
        self.assertTrue(doc["RequestId"].startswith("Id-"))
        self.assertIn("random", doc)
        battle = doc["Response"]["BattleId"]
        human = self.call(url, "create", "--from", "r4", "--to", "r2,r5", "--duration-ms", "1000")
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn("already in another battle (ResultCode 3)", human.stdout)
        busy = self.call(url, "create", "--from", "r1", "--to", "r9", "--duration-ms", "1000")
        self.assertEqual(busy.returncode, 3)
        self.assertIn("100415", busy.stderr)
        busy = self.call(url, "create", "--from", "r1", "--to", "r9", "--duration-ms", "1000",
                         "--json")
        self.assertEqual(one_json_failure(self, busy, 3)["ErrorCode"], 100415)
        s = self.call(url, "set-score", "--battle-id", battle, "--op", "add",
                      "--score", "r1=7,r3=2")
        self.assertEqual(s.returncode, 0, s.stderr)
        info = json.loads(self.call(url, "battle-info", "--battle-id", battle, "--json").stdout)
        scores = {r["RoomId"]: r["Score"] for r in info["Response"]["ToRoomList"]}
        self.assertEqual(info["Response"]["FromRoomInfo"]["Score"], 7)
        self.assertEqual(scores, {"r2": 0, "r3": 2})
        wrong_key = self.call(url, "create", "--from", "x1", "--to", "x2", "--duration-ms", "1",
                              key="not-the-key")
        self.assertEqual(wrong_key.returncode, 3)
        self.assertIn("70009", wrong_key.stderr)
        p.send_signal(signal.SIGTERM)
        out, _ = p.communicate(timeout=10)
        self.assertEqual(p.returncode, 0)
        self.assertIn("stopped (SIGTERM)", out)

    def test_faults_give_the_documented_exit_codes(self):
        # Request 1 is slow, 2 is the battle-info, 3 gets a 502, 4 a retryable error.
        p, url = self.serve("--fault", "1:slow=1500", "--fault", "3:http=502",
                            "--fault", "4:error=100001")
        slow = self.call(url, "create", "--from", "r1", "--to", "r2", "--duration-ms", "60000",
                         "--timeout-ms", "400")
        self.assertEqual(slow.returncode, 5, slow.stderr)
        self.assertIn("battle-info --room-id", slow.stderr)
        # The slow request was processed: reconcile by room, as the message says.
        info = self.call(url, "battle-info", "--room-id", "r1", "--json")
        self.assertEqual(info.returncode, 0, info.stderr)
        self.assertEqual(json.loads(info.stdout)["Response"]["FromRoomInfo"]["RoomId"], "r1")
        gateway = self.call(url, "create", "--from", "r7", "--to", "r8", "--duration-ms", "1000")
        self.assertEqual(gateway.returncode, 5)
        retried = self.call(url, "create", "--from", "r7", "--to", "r8", "--duration-ms", "1000")
        self.assertEqual(retried.returncode, 0, retried.stderr)  # 100001, then success
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait(timeout=10), 0)

    def hinted_command(self, text):
        """The reconciliation command an exit-5 message shows, as an argv for this CLI."""
        lines = [l.strip() for l in text.splitlines() if l.startswith("    trtc-battle ")]
        self.assertEqual(len(lines), 1, text)
        argv = shlex.split(lines[0])
        self.assertEqual(argv[:2], ["trtc-battle", "battle-info"])
        return argv[1:]

    def test_outcome_unknown_shows_the_reconciliation_command(self):
        # Request 1 (a create) loses its answer unprocessed; request 4 (a create) is processed
        # but answered too late; request 5 (a set-score) loses its answer.
        p, url = self.serve("--fault", "1:close", "--fault", "4:slow=1500",
                            "--fault", "6:close")
        lost = self.call(url, "create", "--from", "pk 1", "--to", "r2", "--duration-ms", "60000")
        self.assertEqual(lost.returncode, 5, lost.stderr)
        argv = self.hinted_command(lost.stderr)
        self.assertEqual(argv, ["battle-info", "--room-id", "pk 1", "--sdkappid", "1400000000",
                                "--identifier", "administrator", "--base-url", url])
        self.assertIn('"no battle" (ErrorCode 100004, exit 6), the create did not take effect',
                      lost.stderr)
        # The create did not take effect: the hinted command says "no battle", exit 6.
        none = run(argv)
        self.assertEqual(none.returncode, 6, none.stdout + none.stderr)
        self.assertTrue(none.stdout.startswith('room "pk 1" is in no battle (ErrorCode 100004'),
                        none.stdout)
        self.assertEqual(none.stderr, "")
        doc = json.loads(run(argv + ["--json"]).stdout)
        self.assertEqual(doc["ErrorCode"], 100004)
        self.assertIs(doc["no_battle"], True)
        self.assertEqual(doc["RoomId"], "pk 1")
        self.assertTrue(doc["RequestId"].startswith("Id-"))
        # A create that took effect, with the key from a file: the hint keeps the file, and
        # its command finds the battle.
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(KEY)
        self.addCleanup(os.unlink, f.name)
        late = self.call(url, "create", "--from", "pk-2", "--to", "r3", "--duration-ms", "60000",
                         "--timeout-ms", "400", "--json", "--secret-key-file", f.name, key=None)
        doc = one_json_failure(self, late, 5)
        argv = shlex.split(doc["reconcile"]["command"])[1:]
        self.assertIn("--secret-key-file", argv)
        self.assertIn("100004", doc["reconcile"]["advice"])
        found = run(argv + ["--json"], key=None)
        self.assertEqual(found.returncode, 0, found.stdout + found.stderr)
        battle = json.loads(found.stdout)["Response"]
        self.assertEqual(battle["FromRoomInfo"]["RoomId"], "pk-2")
        # A lost set-score: the hint looks the battle up by its id.
        score = self.call(url, "set-score", "--battle-id", battle["BattleId"], "--op", "add",
                          "--score", "pk-2=1")
        self.assertEqual(score.returncode, 5, score.stderr)
        argv = self.hinted_command(score.stderr)
        self.assertEqual(argv[1:3], ["--battle-id", battle["BattleId"]])
        self.assertIn("could add twice", score.stderr)
        self.assertEqual(run(argv).returncode, 0)
        # By BattleId, 100004 is an unknown battle: a service error, not "no battle".
        unknown = self.call(url, "battle-info", "--battle-id", "nope")
        self.assertEqual(unknown.returncode, 3)
        self.assertIn("100004", unknown.stderr)

    def test_battle_info_by_room_answers_no_battle_with_exit_6(self):
        p, url = self.serve()
        human = self.call(url, "battle-info", "--room-id", "nowhere")
        self.assertEqual(human.returncode, 6, human.stdout + human.stderr)
        self.assertIn('room "nowhere" is in no battle (ErrorCode 100004', human.stdout)
        self.assertIn("RequestId Id-", human.stdout)
        self.assertEqual(human.stderr, "")
        j = self.call(url, "battle-info", "--room-id", "nowhere", "--json")
        self.assertEqual(j.returncode, 6)
        self.assertEqual(len(j.stdout.splitlines()), 1)
        doc = json.loads(j.stdout)
        self.assertEqual((doc["ErrorCode"], doc["ActionStatus"], doc["RoomId"], doc["no_battle"]),
                         (100004, "FAIL", "nowhere", True))
        self.assertIn("random", doc)
        # A room in a battle is still shown, exit 0.
        self.assertEqual(self.call(url, "create", "--from", "r1", "--to", "r2",
                                   "--duration-ms", "60000").returncode, 0)
        self.assertEqual(self.call(url, "battle-info", "--room-id", "r2").returncode, 0)

    def test_not_delivered_is_exit_4(self):
        p, url = self.serve()
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=10)
        gone = self.call(url, "create", "--from", "r1", "--to", "r2", "--duration-ms", "1000",
                         "--timeout-ms", "500")
        self.assertEqual(gone.returncode, 4, gone.stderr)

    def test_bad_fault_specs_are_usage_errors(self):
        for spec in ["x:close", "1:warp", "1:http=99", "1:slow", "1:close=3"]:
            p = run(["serve", "--sdkappid", "1", "--identifier", "a", "--fault", spec])
            self.assertEqual(p.returncode, 2, spec)
            self.assertIn("--fault", p.stderr)


def tls_front(test, upstream):
    """A TLS front on 127.0.0.1 for the plain-HTTP `upstream` (a real TLS server with a CA made
    here, certificate for IP 127.0.0.1): returns its https:// base URL and the CA file."""
    d = tempfile.mkdtemp()
    test.addCleanup(lambda: [os.unlink(os.path.join(d, f)) for f in os.listdir(d)])
    f = lambda name: os.path.join(d, name)
    with open(f("ext.cnf"), "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                  "extendedKeyUsage=serverAuth\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for cmd in (["req", "-x509"] + ec + ["-keyout", f("ca.key"), "-out", f("ca.pem"), "-subj",
                                          "/CN=trtc-cli-test-ca", "-days", "1", "-addext",
                                          "basicConstraints=critical,CA:TRUE", "-addext",
                                          "keyUsage=critical,keyCertSign"],
                ["req"] + ec + ["-keyout", f("srv.key"), "-out", f("srv.csr"), "-subj",
                                "/CN=127.0.0.1"],
                ["x509", "-req", "-in", f("srv.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"),
                 "-CAcreateserial", "-out", f("srv.pem"), "-days", "1", "-extfile",
                 f("ext.cnf")]):
        subprocess.run(["openssl"] + cmd, check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(f("srv.pem"), f("srv.key"))
    host, port = upstream.split("//", 1)[1].rsplit(":", 1)

    async def pipe(r, w):
        try:
            while True:
                data = await r.read(65536)
                if not data:
                    break
                w.write(data)
                await w.drain()
        except (OSError, ssl.SSLError):
            pass
        finally:
            w.close()

    async def handle(reader, writer):
        ur, uw = await asyncio.open_connection(host, int(port))
        await asyncio.gather(pipe(reader, uw), pipe(ur, writer))

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = asyncio.run_coroutine_threadsafe(
        asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx), loop).result(10)
    def stop():
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
    test.addCleanup(stop)
    return "https://127.0.0.1:%d" % server.sockets[0].getsockname()[1], f("ca.pem")


class Load(unittest.TestCase):
    """trtc-battle load: N creates, K in flight on one thread (the Asio client), against serve."""

    def setUp(self):
        probe = run(["load"] + BASE + ["--base-url", "http://127.0.0.1:1", "--calls", "1",
                                       "--concurrency", "1"])
        if "needs the Asio adapter" in probe.stderr:
            self.assertEqual(probe.returncode, 2)  # said plainly, nothing sent
            self.skipTest("built without the Asio adapter")

    def load(self, url, *args):
        return run(["load"] + BASE + ["--base-url", url] + list(args))

    def summary(self, p):
        self.assertEqual(len(p.stdout.splitlines()), 1, p.stdout)
        doc = json.loads(p.stdout)
        for k in ("calls", "succeeded", "failed", "wall_s", "calls_per_s", "latency_ms",
                  "connections"):
            self.assertIn(k, doc)
        lat = doc["latency_ms"]
        self.assertTrue(0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"], lat)
        self.assertLessEqual(lat["max"], doc["wall_s"] * 1000 + 1)
        self.assertAlmostEqual(doc["calls_per_s"], doc["calls"] / doc["wall_s"],
                               delta=doc["calls_per_s"] * 0.01 + 0.01)
        self.assertEqual(doc["succeeded"] + sum(doc["failed"].values()), doc["calls"])
        return doc

    def test_battles_created_within_the_rate_limit_on_few_connections(self):
        p, url = Emulator.serve(self)
        doc = self.summary(self.load(url, "--calls", "300", "--concurrency", "32", "--json"))
        self.assertEqual(doc["calls"], 300)
        self.assertEqual(doc["succeeded"], 300)
        self.assertEqual(doc["failed"], {})
        self.assertEqual(doc["peak_in_flight"], 32)
        self.assertGreaterEqual(doc["connections"], 1)
        self.assertLessEqual(doc["connections"], 32)
        # The client's limit (200/s after a burst of 20) held: 300 calls take at least 1.4 s
        # minus the burst's slack, and the emulator (200/s in any second) refused none.
        self.assertGreater(doc["wall_s"], 1.3)
        p.send_signal(signal.SIGTERM)
        out, _ = p.communicate(timeout=10)
        self.assertIn("after 300 requests, 300 battles created", out)  # fresh rooms each

    def test_k_calls_are_in_flight_at_once(self):
        # The first 32 requests are each answered 1.5 s late. With all 32 in flight at once
        # the run takes about 1.5 s; with 31 or fewer, one call waits for another: >= 3 s.
        slow = []
        for i in range(1, 33):
            slow += ["--fault", "%d:slow=1500" % i]
        _, url = Emulator.serve(self, *slow)
        doc = self.summary(self.load(url, "--calls", "32", "--concurrency", "32", "--json"))
        self.assertEqual(doc["succeeded"], 32)
        self.assertGreaterEqual(doc["latency_ms"]["p50"], 1500)  # every answer was late
        self.assertLess(doc["wall_s"], 3.0)
        # A connection is opened only when none is idle: 32 were busy at once.
        self.assertEqual(doc["connections"], 32)

    def test_failures_counted_by_code_and_exit_1(self):
        p, url = Emulator.serve(self, "--fault", "2:error=100004", "--fault", "5:close")
        r = self.load(url, "--calls", "10", "--concurrency", "1", "--json")
        self.assertEqual(r.returncode, 1, r.stderr)
        doc = self.summary(r)
        self.assertEqual(doc["failed"], {"100004": 1, "outcome_unknown": 1})
        self.assertEqual(doc["succeeded"], 8)
        self.assertIn("100004", doc["first_error"])
        human = self.load(url, "--calls", "3", "--concurrency", "2")
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertRegex(human.stdout, r"^3 calls, 2 in flight at most \(concurrency 2\): "
                                       r"3 succeeded, 0 failed in [0-9.]+ s")
        self.assertIn("latency ms: p50 ", human.stdout)

    def test_https_with_a_ca_file(self):
        _, url = Emulator.serve(self)
        https, ca = tls_front(self, url)
        doc = self.summary(self.load(https, "--ca-file", ca, "--calls", "60", "--concurrency",
                                     "8", "--json"))
        self.assertEqual(doc["succeeded"], 60)
        self.assertLessEqual(doc["connections"], 8)
        # Without the CA the certificate is refused: nothing delivered.
        r = self.load(https, "--calls", "2", "--concurrency", "2", "--json")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(self.summary(r)["failed"], {"tls_failure": 2})

    def test_usage_errors(self):
        for extra, fragment in ((["--calls", "0", "--concurrency", "1"], "--calls"),
                                (["--calls", "1", "--concurrency", "0"], "--concurrency"),
                                (["--calls", "1", "--concurrency", "1", "--ca-file", "x"],
                                 "applies only to https://"),
                                (["--calls", "1", "--concurrency", "1",
                                  "--redis-password-env", "X"], "applies only with")):
            r = self.load("http://127.0.0.1:1", *extra)
            self.assertEqual(r.returncode, 2, extra)
            self.assertIn(fragment, r.stderr)
        self.assertIn("--calls N --concurrency K", usage_line("load"))
# One call of each battle API, as the fake services below answer them.
SUCCESS_CALLS = [
    ["create", "--from", "room-a", "--to", "room-b", "--duration-ms", "60000"],
    ["battle-info", "--battle-id", "b1"],
    ["set-score", "--battle-id", "b1", "--op", "overwrite", "--score", "room-a=1"],
]


def call_service(url, args, text):
    """The CLI command args[0] with the service options, the key in the environment and the
    rest of args, against the service at url."""
    env = dict(os.environ)
    env["TRTC_SECRET_KEY"] = KEY
    return subprocess.run([CLI, args[0]] + BASE + ["--base-url", url] + list(args[1:]),
                          capture_output=True, text=text, env=env, timeout=60)


def fake_service(test, respond):
    """A service on loopback answering each POST with the JSON envelope respond(path, body)
    returns (path with its query); stopped when the test ends. Returns its base URL."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            out = json.dumps(respond(self.path, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()

    def stop():
        server.shutdown()
        server.server_close()
    test.addCleanup(stop)
    return "http://127.0.0.1:%d" % server.server_address[1]


HOSTILE = "a\x1b[2J\x1b]0;owned\x07\rbattle forged created\nvisible\x00hidden\x7f\u009b\u202e"


class HostileServer(unittest.TestCase):
    """A server whose every text field carries terminal escapes, CR/LF and NUL: the human output
    shows them escaped, never raw, and NUL does not cut the text."""

    def serve(self, error=False):
        def respond(path, body):
            room = {"RoomId": HOSTILE, "Score": 1, "Owner_Account": HOSTILE}
            if error:
                return {"ActionStatus": "FAIL", "ErrorInfo": HOSTILE, "ErrorCode": 100002,
                        "RequestId": HOSTILE}
            if b"FromRoomId" in body:
                env = {"Response": {"BattleId": HOSTILE, "Result": [
                    {"RoomId": HOSTILE, "ResultCode": 0, "ResultMessage": HOSTILE}]}}
            elif b"ScoreList" in body:
                env = {"Response": {"Result": [{"RoomId": HOSTILE, "ResultCode": 0}]}}
            else:
                env = {"Response": {"BattleId": HOSTILE, "Duration": 1000, "StartTime": 1,
                                    "EndTime": 2, "Status": 0, "FromRoomInfo": room,
                                    "ToRoomList": [room]}}
            env.update({"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0,
                        "RequestId": HOSTILE})
            return env
        return fake_service(self, respond)

    def call(self, url, *args):
        return call_service(url, args, text=False)

    def check_safe(self, p):
        for name, stream in (("stdout", p.stdout), ("stderr", p.stderr)):
            raw = [c for c in stream if (c < 0x20 and c != 0x0a) or c == 0x7f]
            self.assertEqual(raw, [], "raw control bytes in %s: %r" % (name, stream))
            self.assertNotIn("\u009b".encode(), stream)
            self.assertNotIn("\u202e".encode(), stream)
        text = (p.stdout + p.stderr).decode()
        # Every line the CLI wrote is its own: no forged line at its start.
        for line in text.splitlines():
            self.assertFalse(line.startswith("battle forged"), text)
            self.assertFalse(line.startswith("visible"), text)
        return text

    def test_success_fields_are_shown_escaped(self):
        url = self.serve()
        for args in SUCCESS_CALLS:
            p = self.call(url, *args)
            text = self.check_safe(p)
            self.assertEqual(p.returncode, 0, text)
            self.assertIn("\\x1b[2J", text)
            self.assertIn("\\x1b]0;owned\\x07\\x0dbattle forged created\\x0avisible", text)
            self.assertIn("visible\\x00hidden\\x7f\\u009b\\u202e", text)

    def test_error_fields_are_shown_escaped(self):
        url = self.serve(error=True)
        p = self.call(url, "battle-info", "--battle-id", "b1")
        text = self.check_safe(p)
        self.assertNotEqual(p.returncode, 0, text)
        self.assertIn("\\x1b[2j", text.lower())
        self.assertIn("visible\\x00hidden", text.lower())


class EchoingServer(unittest.TestCase):
    """A server that echoes the request's UserSig, whole and in pieces, into every text it
    answers with: nothing the CLI prints holds 24 characters of it in a row, human or --json,
    success or failure."""

    def serve(self, error=False):
        def respond(path, body):
            sig = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["usersig"][0]
            self.sigs.append(sig)
            piece = "x" + sig[5:35] + "y"  # 30 characters of it
            if error:
                return {"ActionStatus": "FAIL", "ErrorCode": 100002, "RequestId": sig,
                        "ErrorInfo": "bad " + piece}
            room = {"RoomId": piece, "Score": 1, "Owner_Account": sig}
            if b"FromRoomId" in body:
                resp = {"BattleId": sig, "Result": [
                    {"RoomId": piece, "ResultCode": 0, "ResultMessage": "echo " + sig}]}
            elif b"ScoreList" in body:
                resp = {"Result": [{"RoomId": piece, "ResultCode": 0}]}
            else:
                resp = {"BattleId": piece, "Duration": 1000, "StartTime": 1, "EndTime": 2,
                        "Status": 0, "FromRoomInfo": room, "ToRoomList": [room]}
            return {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0,
                    "RequestId": "id-" + piece, "Response": resp}
        self.sigs = []
        return fake_service(self, respond)

    def call(self, url, *args):
        return call_service(url, args, text=True)

    def check_clean(self, p):
        text = p.stdout + p.stderr
        self.assertTrue(self.sigs, "no request reached the server")
        for sig in set(self.sigs):
            self.assertGreater(len(sig), 60)
            for i in range(len(sig) - 23):
                self.assertNotIn(sig[i:i + 24], text)
        self.assertIn("REDACTED", text)
        return text

    def test_success_fields_hold_no_piece_of_the_usersig(self):
        url = self.serve()
        for args in SUCCESS_CALLS:
            for extra in ([], ["--json"]):
                p = self.call(url, *(args + extra))
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                self.check_clean(p)

    def test_error_fields_hold_no_piece_of_the_usersig(self):
        url = self.serve(error=True)
        for extra in ([], ["--json"]):
            p = self.call(url, "battle-info", "--battle-id", "b1", *extra)
            self.assertNotEqual(p.returncode, 0, p.stdout + p.stderr)
            self.check_clean(p)


class UndecodableAnswers(unittest.TestCase):
    """A server whose answers cannot be used: the exit code follows the endpoint's idempotence,
    not the way the answer is broken (a read exits 1, a create 5)."""

    def serve(self, answer):
        import threading
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        stopping = []

        def loop():
            while not stopping:
                try:
                    c, _ = listener.accept()
                except OSError:
                    return
                with c:
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = c.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    head, _, body = data.partition(b"\r\n\r\n")
                    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
                    want = int(m.group(1)) if m else 0
                    while len(body) < want:
                        chunk = c.recv(65536)
                        if not chunk:
                            break
                        body += chunk
                    try:
                        c.sendall(answer)
                    except OSError:
                        pass
        t = threading.Thread(target=loop, daemon=True)
        t.start()

        def stop():
            stopping.append(1)
            listener.close()
        self.addCleanup(stop)
        return "http://127.0.0.1:%d" % listener.getsockname()[1]

    ANSWERS = {
        "malformed chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                             b"Connection: close\r\n\r\nzz\r\nbad\r\n",
        "not JSON": b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\n"
                    b"not json",
        "incomplete success": b"HTTP/1.1 200 OK\r\nContent-Length: 57\r\n"
                              b"Connection: close\r\n\r\n"
                              b'{"ErrorCode":0,"ActionStatus":"OK","Response":{"Bx":"b"}}',
    }

    def test_a_read_exits_1_and_a_create_5_however_the_answer_is_broken(self):
        for name, answer in self.ANSWERS.items():
            with self.subTest(name):
                url = self.serve(answer)
                info = run(["battle-info"] + BASE + ["--base-url", url, "--battle-id", "b1",
                                                     "--timeout-ms", "3000"])
                self.assertEqual(info.returncode, 1, info.stderr)
                create = run(["create"] + BASE + ["--base-url", url, "--from", "r1", "--to", "r2",
                                                  "--duration-ms", "60000",
                                                  "--timeout-ms", "3000"])
                self.assertEqual(create.returncode, 5, create.stderr)
                self.assertIn("battle-info --room-id", create.stderr)


def redis_server_binary():
    for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server"):
        if os.access(p, os.X_OK):
            return p
    return None


def resp(port, *args, password=None):
    """One Redis command over a raw socket (RESP); returns the reply's first line."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        f = s.makefile("rb")
        def send(parts):
            out = b"*%d\r\n" % len(parts)
            for a in parts:
                a = a.encode()
                out += b"$%d\r\n%s\r\n" % (len(a), a)
            s.sendall(out)
            return f.readline().decode().strip()
        if password:
            send(["AUTH", password])
        return send(list(args))


class SharedRateLimit(unittest.TestCase):
    """create / battle-info / set-score --shared-rate-limit against a real redis-server."""

    PASSWORD = "cli-redis-pass-7781"

    def redis(self, *extra):
        binary = redis_server_binary()
        self.assertIsNotNone(binary, "redis-server not found (Debian: redis-server)")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        p = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", "/tmp"] + list(extra),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        def stop():
            p.kill()
            p.wait()
        self.addCleanup(stop)
        for _ in range(300):
            try:
                resp(port, "PING")
                break
            except OSError:
                time.sleep(0.01)
        return port

    def call(self, url, *args, env_extra=None):
        return run(list(args[:1]) + ["--sdkappid", "1400000000", "--identifier", "administrator",
                                     "--base-url", url] + list(args[1:]), env_extra=env_extra)

    def setUp(self):
        probe = run(["battle-info"] + BASE + ["--base-url", "http://127.0.0.1:1", "--room-id",
                                              "r", "--shared-rate-limit", "redis://127.0.0.1:1"])
        if "this build has none" in probe.stderr:
            self.skipTest("built without the Redis adapter")
        _, self.url = Emulator.serve(self)

    def test_every_sending_command_books_in_redis(self):
        port = self.redis()
        shared = ["--shared-rate-limit", "redis://127.0.0.1:%d" % port]
        c = self.call(self.url, "create", "--from", "r1", "--to", "r2", "--duration-ms", "60000",
                      "--json", *shared)
        self.assertEqual(c.returncode, 0, c.stderr)
        battle = json.loads(c.stdout)["Response"]["BattleId"]
        s = self.call(self.url, "set-score", "--battle-id", battle, "--op", "add", "--score",
                      "r1=1", *shared)
        self.assertEqual(s.returncode, 0, s.stderr)
        i = self.call(self.url, "battle-info", "--battle-id", battle, *shared)
        self.assertEqual(i.returncode, 0, i.stderr)
        for api in ("create_battle", "set_battle_score", "get_battle_info"):
            self.assertEqual(resp(port, "LLEN", "{trtc:1400000000:%s}:log" % api), ":1", api)

    def test_load_books_every_call_in_redis(self):
        port = self.redis()
        r = self.call(self.url, "load", "--calls", "40", "--concurrency", "8", "--json",
                      "--shared-rate-limit", "redis://127.0.0.1:%d" % port)
        if "needs the Asio adapter" in r.stdout:
            self.skipTest("built without the Asio adapter")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(json.loads(r.stdout)["succeeded"], 40)
        self.assertEqual(resp(port, "LLEN", "{trtc:1400000000:create_battle}:log"), ":40")

    def test_the_password_from_a_file_or_the_environment_never_in_the_output(self):
        port = self.redis("--requirepass", self.PASSWORD)
        shared = ["--shared-rate-limit", "redis://127.0.0.1:%d" % port]
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write(self.PASSWORD + "\n")
        self.addCleanup(os.unlink, f.name)
        ok = self.call(self.url, "battle-info", "--room-id", "nowhere", *shared,
                       "--redis-password-file", f.name)
        self.assertEqual(ok.returncode, 6, ok.stderr)  # answered: the room is in no battle
        ok = self.call(self.url, "battle-info", "--room-id", "nowhere", *shared,
                       "--redis-password-env", "TRTC_TEST_REDIS_PW",
                       env_extra={"TRTC_TEST_REDIS_PW": self.PASSWORD})
        self.assertEqual(ok.returncode, 6, ok.stderr)
        self.assertEqual(resp(port, "LLEN", "{trtc:1400000000:get_battle_info}:log",
                              password=self.PASSWORD), ":2")
        wrong = self.call(self.url, "battle-info", "--room-id", "nowhere", *shared,
                          "--redis-password-env", "TRTC_TEST_REDIS_PW",
                          "--shared-rate-limit-failure", "fail",
                          env_extra={"TRTC_TEST_REDIS_PW": "x" + self.PASSWORD})
        self.assertEqual(wrong.returncode, 4, wrong.stderr)
        self.assertIn("AUTH", wrong.stderr)
        self.assertIn("shared rate limit is unavailable", wrong.stderr)
        # In the URL: refused before anything is sent, without quoting it.
        in_url = self.call(self.url, "battle-info", "--room-id", "nowhere",
                           "--shared-rate-limit",
                           "redis://:%s@127.0.0.1:%d" % (self.PASSWORD, port), "--json")
        self.assertEqual(in_url.returncode, 2)
        for p in (wrong, in_url):
            self.assertNotIn(self.PASSWORD, p.stdout + p.stderr)

    def test_redis_away_local_fallback_or_fail(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]  # nothing listens there
        shared = ["--shared-rate-limit", "redis://127.0.0.1:%d" % port]
        local = self.call(self.url, "battle-info", "--room-id", "nowhere", *shared)
        self.assertEqual(local.returncode, 6, local.stderr)
        fail = self.call(self.url, "battle-info", "--room-id", "nowhere", *shared,
                         "--shared-rate-limit-failure", "fail")
        self.assertEqual(fail.returncode, 4)
        self.assertIn("shared rate limit is unavailable (redis://127.0.0.1:%d/0" % port,
                      fail.stderr)
        bad = self.call(self.url, "battle-info", "--room-id", "nowhere", *shared,
                        "--shared-rate-limit-failure", "maybe")
        self.assertEqual(bad.returncode, 2)
        alone = self.call(self.url, "battle-info", "--room-id", "nowhere",
                          "--redis-password-env", "X")
        self.assertEqual(alone.returncode, 2)
        self.assertIn("applies only with --shared-rate-limit", alone.stderr)


def one_json_failure(test, p, code):
    """Asserts that `p` failed with exit `code` and printed exactly one JSON object on stdout
    and nothing on stderr; returns the object."""
    test.assertEqual(p.returncode, code, (p.stdout, p.stderr))
    test.assertEqual(p.stderr, "")
    lines = p.stdout.splitlines()
    test.assertEqual(len(lines), 1, p.stdout)
    doc = json.loads(lines[0])
    test.assertIsInstance(doc, dict)
    test.assertEqual(doc["ActionStatus"], "FAIL")
    test.assertIn("ErrorCode", doc)
    test.assertIn("ErrorInfo", doc)
    test.assertIn("category", doc["error"])
    return doc


class Json(unittest.TestCase):
    """With --json, every failure is one JSON object on stdout."""
    SVC = BASE + ["--base-url", "http://127.0.0.1:9"]

    def test_validation_errors_carry_every_violation(self):
        p = run(["create", "--json"] + self.SVC + ["--from", "pk-1", "--to", "pk-1,,pk-2,pk-2",
                                                  "--duration-ms", "1000"])
        doc = one_json_failure(self, p, 2)
        self.assertEqual(doc["ErrorCode"], -1)
        self.assertEqual(doc["error"]["category"], "trtc")
        self.assertEqual(doc["error"]["violations"], [
            {"field": "ToRoomIdList[0]", "message": '"pk-1" is the same room as FromRoomId'},
            {"field": "ToRoomIdList[1]", "message": "must not be empty"},
            {"field": "ToRoomIdList[3]", "message": '"pk-2" is a duplicate of ToRoomIdList[2]'},
        ])
        p = run(["set-score"] + self.SVC + ["--json", "--battle-id", "x" * 300, "--op", "add",
                                            "--score", "r=1,r=2"])
        fields = [v["field"] for v in one_json_failure(self, p, 2)["error"]["violations"]]
        self.assertEqual(fields, ["BattleId", "ScoreList[1]"])

    def test_usage_errors_are_json_too(self):
        doc = one_json_failure(self, run(["create", "--json"]), 2)
        self.assertEqual(doc["error"]["category"], "usage")
        self.assertEqual([v["field"] for v in doc["error"]["violations"]],
                         ["--sdkappid", "--identifier", "--region|--base-url", "--from", "--to",
                          "--duration-ms"])
        self.assertIn("--duration-ms N", doc["ErrorInfo"])
        bad = one_json_failure(self, run(["battle-info", "--json"] + self.SVC + [
            "--battle-id", "b", "--timeout-ms", "0"]), 2)
        self.assertEqual(bad["error"]["violations"][0]["field"], "--timeout-ms")
        self.assertIn("between 1 and 3600000", bad["error"]["violations"][0]["message"])
        for args, fragment in [
                (["create", "--json", "--bogus"], "unknown option --bogus"),
                (["battle-info", "--json"] + self.SVC + ["--room-id"], "--room-id needs a value"),
                (["battle-info", "--json"] + self.SVC + ["--battle-id", "b"], "no secret key"),
                (["battle-info", "--json", "--sdkappid", "1", "--identifier", "a", "--region",
                  "mars", "--battle-id", "b"], '"mars" is not a region'),
                (["usersig", "--json"], "unknown option --json"),
                (["nonsense", "--json"], "unknown command 'nonsense'"),
                (["prepare", "--json"], "needs a command")]:
            key = None if "no secret key" in fragment else KEY
            doc = one_json_failure(self, run(args, key=key), 2)
            self.assertIn(fragment, doc["ErrorInfo"])
            self.assertEqual(doc["error"]["category"], "usage")

    def test_transport_and_service_failures_are_json(self):
        gone = run(["create", "--json"] + self.SVC + ["--from", "a", "--to", "b",
                                                     "--duration-ms", "1000",
                                                     "--timeout-ms", "300"])
        doc = one_json_failure(self, gone, 4)
        self.assertEqual(doc["error"]["category"], "trtc.transport")


class Demo(unittest.TestCase):
    def test_demo_runs_battles_against_the_emulator(self):
        p = run(["demo"], key=None)
        self.assertEqual(p.returncode, 0, p.stderr)
        for fragment in ["listens on http://127.0.0.1:", "ResultCode 0  invited",
                         "ResultCode 3  already in another battle", "ErrorCode 100415",
                         "score 120", "1 connection (kept alive), 1 UserSig made"]:
            self.assertIn(fragment, p.stdout)


class Usage(unittest.TestCase):
    def expect_usage(self, args, fragment, key=KEY):
        p = run(args, key=key)
        self.assertEqual(p.returncode, 2, (args, p.stdout, p.stderr))
        self.assertIn(fragment, p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)

    def test_usage_errors_exit_2_with_one_line(self):
        self.expect_usage(["usersig"] + BASE + ["--expire", "86400"], "secret key", key=None)
        self.expect_usage(["usersig", "--identifier", "a", "--expire", "1"], "--sdkappid")
        self.expect_usage(["usersig"] + BASE + ["--expire", "0"], "--expire")
        self.expect_usage(["usersig"] + BASE + ["--expire", "12x"], "--expire")
        self.expect_usage(["usersig"] + BASE + ["--expire", "1", "--bogus"], "unknown option")
        self.expect_usage(["usersig"] + BASE + ["--expire", "1", "--compression", "lzma"],
                          "compression")
        self.expect_usage(["usersig", "--sdkappid", "1", "--identifier", "a\nb", "--expire", "9"],
                          "control character")
        self.expect_usage(["usersig", "--sdkappid", "4294967296", "--identifier", "a",
                           "--expire", "9"], "--sdkappid")
        self.expect_usage(["private-map-key"] + BASE + ["--expire", "9", "--privileges", "1"],
                          "--room-id")
        self.expect_usage(["nonsense"], "unknown command")
        self.expect_usage(["prepare", "create-battle"] + Prepare.SVC + [
            "--from", "a", "--to", "b", "--duration-ms", "1"], "--region")
        self.expect_usage(["prepare", "create-battle"] + Prepare.SVC + [
            "--region", "mars", "--from", "a", "--to", "b", "--duration-ms", "1"], "--region")

    def test_help(self):
        for cmd in ["usersig", "private-map-key", "usersig-decode", "usersig-verify",
                    "prepare create-battle", "prepare battle-info", "prepare set-score"]:
            p = run(cmd.split() + ["--help"])
            self.assertEqual(p.returncode, 0)
            self.assertIn("usage: trtc-battle " + cmd, p.stdout)
        self.assertEqual(run(["--help"]).returncode, 0)

    def test_every_command_answers_help_with_its_usage(self):
        cmds = listed_commands()
        self.assertIn("serve", cmds)
        self.assertIn("prepare create-battle", cmds)
        for cmd in cmds + ["prepare"]:
            for form in [cmd.split() + ["--help"], cmd.split() + ["-h"], ["help"] + cmd.split()]:
                p = run(form)
                self.assertEqual(p.returncode, 0, (form, p.stderr))
                self.assertRegex(p.stdout, r"^usage: trtc-battle %s[ \n]" % re.escape(cmd),
                                 form)
                self.assertEqual(p.stderr, "", form)
        # The family's help lists its commands.
        family = run(["prepare", "--help"]).stdout
        for sub in ["create-battle", "battle-info", "set-score"]:
            self.assertIn(sub, family)
        self.expect_usage(["prepare"], "create-battle")
        self.expect_usage(["prepare", "bogus"], "unknown command 'prepare bogus'")

    def test_the_usage_line_brackets_exactly_the_optional_options(self):
        line = usage_line("serve")
        self.assertIn("[--port N]", line)
        self.assertNotIn(" --port N ", line.replace("[--port N]", ""))
        # Without --port, serve goes on to the next check (the key), not a missing option.
        p = run(["serve", "--sdkappid", "1", "--identifier", "a"], key=None)
        self.assertEqual(p.returncode, 2)
        self.assertIn("no secret key", p.stderr)
        # Every command run with nothing names every option its usage line shows as required.
        for cmd in listed_commands():
            required = required_flags(usage_line(cmd))
            if not required:
                continue
            p = run(cmd.split(), key=None)
            self.assertEqual(p.returncode, 2, cmd)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            for flag in required:
                self.assertIn(flag, p.stderr, (cmd, flag, p.stderr))

    def test_usage_errors_list_every_missing_option(self):
        p = run(["create"])
        self.assertEqual(p.returncode, 2)
        for flag in ["--sdkappid N", "--identifier ID", "--region R or --base-url URL",
                     "--from ROOM", "--to ROOM", "--duration-ms N"]:
            self.assertIn(flag, p.stderr)
        self.assertNotIn("--extension", p.stderr)  # optional
        p = run(["set-score"] + BASE + ["--region", "china", "--op", "add"])
        self.assertIn("--battle-id ID, --score ROOM=N", p.stderr)
        self.assertNotIn("--op", p.stderr)
        self.expect_usage(["battle-info"] + BASE + ["--region", "china", "--battle-id", "b",
                                                    "--room-id", "r"],
                          "give only one of --battle-id and --room-id")

    def test_every_numeric_option_quotes_its_real_range(self):
        svc = BASE + ["--region", "china"]
        create = ["--from", "a", "--to", "b"]
        cases = [
            (["create"] + svc + create, "duration-ms", 1, 2147483647),
            (["prepare", "create-battle"] + svc + create, "duration-ms", 1, 2147483647),
            (["usersig", "--identifier", "a", "--expire", "9"], "sdkappid", 1, 4294967295),
            (["usersig"] + BASE, "expire", 1, 2147483647),
            (["usersig"] + BASE + ["--expire", "9"], "now", 0, 253402300799),
            (["prepare", "battle-info"] + svc + ["--battle-id", "b"], "random", 0, 4294967295),
            (["battle-info"] + svc + ["--battle-id", "b"], "timeout-ms", 1, 3600000),
            (["private-map-key"] + BASE + ["--expire", "9", "--room-str", "r"], "privileges",
             0, 4294967295),
            (["private-map-key"] + BASE + ["--expire", "9", "--privileges", "1"], "room-id",
             0, 4294967295),
            (["serve"] + BASE, "port", 0, 65535),
            (["serve"] + BASE, "rate-limit", 0, 1000000),
        ]
        for args, option, lo, hi in cases:
            for bad in [str(lo - 1), str(hi + 1), "12x", "", "99999999999999999999"]:
                p = run(args + ["--" + option, bad])
                self.assertEqual(p.returncode, 2, (args, option, bad, p.stderr))
                self.assertIn("--%s must be an integer between %d and %d" % (option, lo, hi),
                              p.stderr)
        score = ["set-score"] + svc + ["--battle-id", "b", "--op", "add", "--score"]
        for bad in ["r=9007199254740992", "r=-9007199254740992", "r=x"]:
            p = run(score + [bad])
            self.assertEqual(p.returncode, 2, bad)
            self.assertIn("between -9007199254740991 and 9007199254740991", p.stderr)
        # The bounds themselves are accepted.
        ok = run(["prepare", "create-battle"] + svc + create + ["--duration-ms", "2147483647"])
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertEqual(json.loads(ok.stdout.splitlines()[-1])["Duration"], 2147483647)
        ok = run(["prepare", "set-score"] + svc + ["--battle-id", "b", "--op", "add",
                                                    "--score", "r=-9007199254740991"])
        self.assertEqual(ok.returncode, 0, ok.stderr)



WEBHOOK_TOKEN = "wh-tok-Qx81"


class Webhooks(unittest.TestCase):
    """webhook-listen, serve --webhook-url, and the webhook configuration commands: a battle's
    whole life observed through the CLI; the token never printed."""

    def start(self, args, ready):
        env = dict(os.environ)
        env["TRTC_SECRET_KEY"] = KEY
        env.pop("TRTC_WEBHOOK_TOKEN", None)
        p = subprocess.Popen([CLI] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
        lines, errors = queue.Queue(), queue.Queue()
        for stream, q in ((p.stdout, lines), (p.stderr, errors)):
            threading.Thread(target=lambda s=stream, q=q: [q.put(l) for l in s], daemon=True).start()
        first = lines.get(timeout=10).strip()
        self.assertTrue(first.startswith(ready), first)
        def stop():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            p.wait(timeout=10)
        self.addCleanup(stop)
        return p, first.split()[-1], lines, errors

    def token_file(self):
        f = tempfile.NamedTemporaryFile("w", delete=False)
        f.write(WEBHOOK_TOKEN + "\n")
        f.close()
        os.chmod(f.name, 0o600)
        self.addCleanup(os.unlink, f.name)
        return f.name

    def listen(self, *extra):
        return self.start(["webhook-listen", "--port", "0", "--sdkappid", "1400000000"] +
                          list(extra), "LISTENING http://127.0.0.1:")

    def serve(self, *extra):
        p, url, _, _ = self.start(["serve", "--port", "0", "--sdkappid", "1400000000",
                                   "--identifier", "administrator"] + list(extra),
                                  "listening on http://127.0.0.1:")
        return url

    def call(self, url, *args, env_extra=None):
        words = list(args)
        n = 2 if words[0] == "webhook" else 1
        p = run(words[:n] + ["--sdkappid", "1400000000", "--identifier", "administrator",
                             "--base-url", url] + words[n:], env_extra=env_extra)
        for stream in (p.stdout, p.stderr):
            self.assertNotIn(WEBHOOK_TOKEN, stream)
        return p

    def post(self, url, query, body):
        req = urllib.request.Request(url + "/hook?" + query, data=body.encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def test_a_battle_whole_life_signed_with_the_final_scores(self):
        tok = self.token_file()
        _, listen_url, events, errors = self.listen("--token-file", tok)
        url = self.serve("--webhook-url", listen_url + "/hook", "--webhook-token-file", tok,
                         "--webhook-owner-as-number", "--room-owner", "r1=144115245353757792",
                         "--room-owner", "r2=bob")
        c = self.call(url, "create", "--from", "r1", "--to", "r2", "--duration-ms", "1500",
                      "--json")
        self.assertEqual(c.returncode, 0, c.stderr)
        battle = json.loads(c.stdout)["Response"]["BattleId"]
        s = self.call(url, "set-score", "--battle-id", battle, "--op", "overwrite",
                      "--score", "r1=42,r2=17")
        self.assertEqual(s.returncode, 0, s.stderr)
        got = [json.loads(events.get(timeout=10)) for _ in range(3)]
        self.assertEqual([g["CallbackCommand"] for g in got],
                         ["Live.CallbackAfterCreateBattle", "Live.CallbackAfterStartBattle",
                          "Live.CallbackAfterEndBattle"])
        self.assertTrue(all(g["BattleId"] == battle for g in got))
        create, start, end = got
        self.assertEqual(create["FromRoomId"], "r1")
        self.assertEqual(create["ToRoomIdList"], ["r2"])
        self.assertEqual(create["Duration"], 1500)
        self.assertIs(create["NeedResponse"], False)
        self.assertEqual(start["CreateTime"], start["StartTime"])
        self.assertNotIn("Score", start["FromRoomInfo"])
        self.assertEqual(end["OpType"], 0)
        self.assertEqual(end["FromRoomInfo"],
                         {"RoomId": "r1", "Score": 42, "Owner_Account": "144115245353757792"})
        self.assertEqual(end["ToRoomList"], [{"RoomId": "r2", "Score": 17, "Owner_Account": "bob"}])
        self.assertTrue(errors.empty())

    def test_listen_accepts_rejects_and_drops_replays(self):
        tok = self.token_file()
        _, url, events, errors = self.listen("--token-file", tok)
        now = int(time.time())
        body = json.dumps({"CallbackCommand": "Live.CallbackAfterEndBattle", "BattleId": "b1",
                           "OpType": 1, "FromRoomInfo": {"RoomId": "a", "Score": 3,
                                                         "Owner_Account": 1}})
        def query(t=now, sign=None, app="1400000000", cmd="Live.CallbackAfterEndBattle"):
            sign = sign or hashlib.sha256((WEBHOOK_TOKEN + str(t)).encode()).hexdigest()
            return ("SdkAppid=%s&CallbackCommand=%s&contenttype=json&ClientIP=127.0.0.1"
                    "&OptPlatform=RESTAPI&Sign=%s&RequestTime=%d" % (app, cmd, sign, t))
        status, reply = self.post(url, query(), body)
        self.assertEqual((status, json.loads(reply)),
                         (200, {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}))
        line = json.loads(events.get(timeout=10))
        self.assertEqual(line["FromRoomInfo"]["Owner_Account"], "1")
        self.assertEqual(line["OpType"], 1)
        for q, b, code, reason in [
                (query(sign="0" * 64), body, 403, "Sign"),
                (query(t=now - 120), body, 403, "RequestTime"),
                (query(t=now + 120), body, 403, "RequestTime"),
                (query(app="1400000001"), body, 403, "SdkAppid"),
                (query().replace("&Sign=", "&X="), body, 403, "no Sign"),
                (query(), "{not json", 400, "not JSON"),
                (query(cmd="Live.CallbackAfterStartBattle"), body, 400, "differs")]:
            status, _ = self.post(url, q, b)
            self.assertEqual(status, code, (q, b))
            self.assertIn(reason, errors.get(timeout=10))
        status, _ = self.post(url, query(), body)  # a replay
        self.assertEqual(status, 200)
        self.assertIn("replay", errors.get(timeout=10))
        time.sleep(0.2)
        self.assertTrue(events.empty())

    def test_listen_holds_under_idle_and_slow_connections_and_logs_escaped(self):
        _, url, events, errors = self.listen()
        port = int(url.rsplit(":", 1)[1])
        held = []
        self.addCleanup(lambda: [s.close() for s in held])
        for i in range(300):  # 200 idle, then 100 that send half a head and stop
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            if i >= 200:
                s.sendall(b"POST /hook HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(s)
        time.sleep(0.3)
        now = int(time.time())
        hostile = "b\x1b[2J\x1b]0;owned\x07\rforged\u009b\u202e"
        # The body's command, which the rejection quotes, carries terminal escapes.
        body = json.dumps({"CallbackCommand": "Live.CallbackAfterEndBattle" + hostile,
                           "BattleId": hostile, "OpType": 1,
                           "FromRoomInfo": {"RoomId": "a", "Score": 3, "Owner_Account": 1}})
        q = ("SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&"
             "contenttype=json&RequestTime=%d" % now)
        for _ in range(3):
            t0 = time.monotonic()
            status, _ = self.post(url, q, body)  # rejected: the commands differ
            self.assertEqual(status, 400)
            self.assertLess(time.monotonic() - t0, 2.0)
            line = errors.get(timeout=10)
            self.assertIn("rejected with HTTP 400", line)
            self.assertIn("\\x1b[2j", line.lower())
            self.assertEqual([c for c in line if ord(c) < 0x20 and c != "\n"], [], line)
            self.assertNotIn("\u009b", line)
            self.assertNotIn("\u202e", line)

    def test_configuration_commands_never_print_the_token(self):
        url = self.serve()
        self.assertEqual(self.call(url, "webhook", "get").returncode, 3)
        s = self.call(url, "webhook", "set", "--url", "http://127.0.0.1:9/h",
                      "--command", "Live.CallbackAfterEndBattle")
        self.assertEqual(s.returncode, 0, s.stderr)
        again = self.call(url, "webhook", "set", "--url", "http://127.0.0.1:9/h")
        self.assertEqual(again.returncode, 3)
        self.assertIn("100300", again.stderr)
        g = json.loads(self.call(url, "webhook", "get", "--json").stdout)
        self.assertEqual(g["Response"], {"Url": "http://127.0.0.1:9/h",
                                         "CallbackCommandList": ["Live.CallbackAfterEndBattle"]})
        self.assertEqual(self.call(url, "webhook", "update", "--url", "https://x.example/h")
                         .returncode, 0)
        bad = self.call(url, "webhook", "update", "--url", "ftp://x")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("http:// or https://", bad.stderr)
        self.assertEqual(self.call(url, "webhook", "get-token").returncode, 3)
        env = {"TRTC_WEBHOOK_TOKEN": WEBHOOK_TOKEN}
        st = self.call(url, "webhook", "set-token", "--enable", env_extra=env)
        self.assertEqual(st.returncode, 0, st.stderr)
        gt = json.loads(self.call(url, "webhook", "get-token", "--json", env_extra=env).stdout)
        self.assertEqual(gt["Response"],
                         {"IsTokenEnable": True, "TokenLength": len(WEBHOOK_TOKEN),
                          "TokenMatches": True})
        human = self.call(url, "webhook", "get-token", "--token-file", self.token_file())
        self.assertIn("the same as yours", human.stdout)
        self.assertEqual(self.call(url, "webhook", "set-token", "--disable").returncode, 0)
        self.assertEqual(self.call(url, "webhook", "delete-token").returncode, 0)
        self.assertEqual(self.call(url, "webhook", "get-token").returncode, 3)
        self.assertEqual(self.call(url, "webhook", "delete").returncode, 0)
        self.assertEqual(self.call(url, "webhook", "get").returncode, 3)
        # never from an argument
        arg = self.call(url, "webhook", "set-token", "--token", "x", "--enable")
        self.assertEqual(arg.returncode, 2)
        nothing = self.call(url, "webhook", "set-token")
        self.assertEqual(nothing.returncode, 2)

def shard(k, n):
    """The test classes of this file whose place in name order is k modulo n: ctest runs the
    file as n entries side by side, and a new class joins one of them by itself."""
    loader = unittest.TestLoader()
    classes = sorted((c for c in globals().values()
                      if isinstance(c, type) and issubclass(c, unittest.TestCase)),
                     key=lambda c: c.__name__)
    suite = unittest.TestSuite()
    for i, c in enumerate(classes):
        if i % n == k:
            suite.addTests(loader.loadTestsFromTestCase(c))
    return suite


if __name__ == "__main__":
    CLI = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 1 and sys.argv[1].startswith("--shard="):
        k, n = (int(x) for x in sys.argv.pop(1)[len("--shard="):].split("/"))
        result = unittest.TextTestRunner(verbosity=1).run(shard(k, n))
        sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
    unittest.main(verbosity=1)
