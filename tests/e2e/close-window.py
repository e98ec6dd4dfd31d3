#!/usr/bin/env python3
"""Asks a process's windows to close the way a window manager does for the
title bar's close button or Alt+F4: a WM_DELETE_WINDOW message to each
top-level X window of that process. The e2e X server runs no window manager,
and WebDriver's own "close" destroys the web view instead of asking.

Usage: close-window.py PID   (the X display from $DISPLAY)
Exits 1 when the process has no window."""

import ctypes
import sys
from ctypes import POINTER, Structure, Union, byref, c_char_p, c_int, c_long, c_ubyte, c_uint, c_ulong, c_void_p

CLIENT_MESSAGE = 33
ANY_PROPERTY_TYPE = 0

Window = c_ulong
Atom = c_ulong


class ClientMessage(Structure):
    _fields_ = [
        ("type", c_int),
        ("serial", c_ulong),
        ("send_event", c_int),
        ("display", c_void_p),
        ("window", Window),
        ("message_type", Atom),
        ("format", c_int),
        ("data", c_long * 5),
    ]


class XEvent(Union):
    # Xlib's XEvent is padded to 24 longs; XSendEvent copies that many bytes.
    _fields_ = [("xclient", ClientMessage), ("pad", c_long * 24)]


x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
x11.XOpenDisplay.restype = c_void_p
x11.XOpenDisplay.argtypes = [c_char_p]
x11.XDefaultRootWindow.restype = Window
x11.XDefaultRootWindow.argtypes = [c_void_p]
x11.XInternAtom.restype = Atom
x11.XInternAtom.argtypes = [c_void_p, c_char_p, c_int]
x11.XQueryTree.argtypes = [c_void_p, Window, POINTER(Window), POINTER(Window), POINTER(POINTER(Window)), POINTER(c_uint)]
x11.XGetWindowProperty.argtypes = [
    c_void_p, Window, Atom, c_long, c_long, c_int, Atom,
    POINTER(Atom), POINTER(c_int), POINTER(c_ulong), POINTER(c_ulong), POINTER(POINTER(c_ubyte)),
]
x11.XSendEvent.argtypes = [c_void_p, Window, c_int, c_long, POINTER(XEvent)]
x11.XFree.argtypes = [c_void_p]
x11.XFlush.argtypes = [c_void_p]
x11.XCloseDisplay.argtypes = [c_void_p]


def window_pid(display, window, pid_atom):
    actual_type, actual_format = Atom(), c_int()
    count, remaining, data = c_ulong(), c_ulong(), POINTER(c_ubyte)()
    status = x11.XGetWindowProperty(
        display, window, pid_atom, 0, 1, 0, ANY_PROPERTY_TYPE,
        byref(actual_type), byref(actual_format), byref(count), byref(remaining), byref(data),
    )
    if status != 0 or count.value == 0:
        return None
    # Format-32 properties come back as C longs.
    pid = ctypes.cast(data, POINTER(c_long))[0]
    x11.XFree(data)
    return pid


def main():
    pid = int(sys.argv[1])
    display = x11.XOpenDisplay(None)
    if not display:
        sys.exit("close-window: cannot open the X display")
    root = x11.XDefaultRootWindow(display)
    pid_atom = x11.XInternAtom(display, b"_NET_WM_PID", 0)
    protocols = x11.XInternAtom(display, b"WM_PROTOCOLS", 0)
    delete_window = x11.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    root_out, parent_out, children, count = Window(), Window(), POINTER(Window)(), c_uint()
    x11.XQueryTree(display, root, byref(root_out), byref(parent_out), byref(children), byref(count))
    asked = 0
    for index in range(count.value):
        window = children[index]
        if window_pid(display, window, pid_atom) != pid:
            continue
        event = XEvent()
        event.xclient.type = CLIENT_MESSAGE
        event.xclient.window = window
        event.xclient.message_type = protocols
        event.xclient.format = 32
        event.xclient.data[0] = delete_window
        x11.XSendEvent(display, window, 0, 0, byref(event))
        asked += 1
    if count.value:
        x11.XFree(children)
    x11.XFlush(display)
    x11.XCloseDisplay(display)
    if asked == 0:
        sys.exit(f"close-window: process {pid} has no window")


main()
